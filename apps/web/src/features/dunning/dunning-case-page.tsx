import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { DocumentButton, DunningTabs } from './dunning-common.tsx';

const addMonths = (day: string, months: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/** A case: its debts and what they cost today, the plan's steps (done, next, when), its timeline, letters with proofs, and the actions. */
export function DunningCasePage() {
  const { caseId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('dunning.write');
  const kase = useQuery(trpc.dunning.get.queryOptions({ caseId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.dunning.pathKey() });
  const pause = useMutation(trpc.dunning.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.dunning.resume.mutationOptions({ onSuccess: refresh }));
  const plan = useMutation(trpc.dunning.agreePaymentPlan.mutationOptions({ onSuccess: refresh }));
  const writeOff = useMutation(trpc.dunning.writeOff.mutationOptions({ onSuccess: refresh }));
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [count, setCount] = useState('3');
  const [first, setFirst] = useState(addMonths(new Date().toISOString().slice(0, 10), 1));
  const c = kase.data;
  if (!c) return <section className="stack"><DunningTabs /><FormMessage error={messageOf(kase.error)} /></section>;
  const live = c.status === 'open' || c.status === 'paused';
  const recovery = c.purpose === 'recovery';
  const submitPlan = (e: FormEvent) => {
    e.preventDefault();
    const n = Math.max(1, Number(count) || 1);
    const owed = c.charges?.outstandingCents ?? 0;
    const part = Math.floor(owed / n);
    plan.mutate({ caseId, instalments: Array.from({ length: n }, (_, i) => ({ dueOn: addMonths(first, i), amountCents: i === n - 1 ? owed - part * (n - 1) : part })) });
  };
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.dunning.casePage} — <Link to={`/clients/${c.client.id}`}>{c.client.displayName}</Link></h1>
        <span className="badge">{c.statusLabel}</span>
      </div>
      <DunningTabs />
      <p className="muted">{t.dunning.purposes[c.purpose as 'recovery' | 'commercial']} · {t.dunning.audiences[c.audience as 'b2b' | 'b2c' | 'prospect']} · {t.dunning.opened} {formatDate(c.openedOn)}{c.plan ? ` · ${c.plan.name}` : ''}</p>
      {recovery && (
        <>
          <h2>{t.dunning.debts}</h2>
          <div className="table-wrap"><table className="table">
            <thead><tr><th>{t.dunning.debts}</th><th>{t.dunning.dueDate}</th><th>{t.dunning.amount}</th><th>{t.dunning.paid}</th></tr></thead>
            <tbody>{c.items.map((i) => <tr key={i.id}><td>{i.label}</td><td>{formatDate(i.dueDate)}</td><td>{formatEur(i.amountCents)}</td><td>{formatEur(i.paidCents)}</td></tr>)}</tbody>
          </table></div>
          {c.charges && (
            <dl className="summary" aria-label={t.dunning.charges}>
              <dt>{t.dunning.principal}</dt><dd>{formatEur(c.charges.outstandingCents)}</dd>
              {c.audience === 'b2b' && <><dt>{t.dunning.penalties}</dt><dd>{formatEur(c.charges.penaltyCents)}</dd><dt>{t.dunning.indemnity}</dt><dd>{formatEur(c.charges.indemnityCents)}</dd></>}
              {c.audience === 'b2c' && <><dt>{t.dunning.interest}</dt><dd>{formatEur(c.charges.interestCents)}</dd></>}
              <dt>{t.dunning.total}</dt><dd>{formatEur(c.charges.totalCents)}</dd>
            </dl>
          )}
          {c.audience === 'b2c' && <p className="muted">{t.dunning.noFees}</p>}
        </>
      )}
      <h2>{t.dunning.steps}</h2>
      <ol className="stack" aria-label={t.dunning.steps}>
        {c.steps.map((s) => (
          <li key={s.position}>
            <strong>{s.channelLabel}</strong> — {s.subject} <span className="badge">{t.dunning.stepStates[s.state]}</span>
            {s.on && <span className="muted"> {t.dunning.on(formatDate(s.on))}</span>}
          </li>
        ))}
      </ol>
      {c.letters.length > 0 && (
        <>
          <h2>{t.dunning.letters}</h2>
          <ul className="stack">
            {c.letters.map((l) => (
              <li key={l.id}>
                {t.dunning.letterServices[l.service as 'simple' | 'registered' | 'registered_with_ack']} {l.registeredNumber ? `n° ${l.registeredNumber}` : ''} <span className="badge">{l.deliveryStatus ?? l.status}</span>
                {' '}<DocumentButton documentId={l.documentId} label={t.dunning.letterDocument} />
                {l.depositProofDocumentId && <DocumentButton documentId={l.depositProofDocumentId} label={t.dunning.depositProof} />}
                {l.acknowledgementDocumentId && <DocumentButton documentId={l.acknowledgementDocumentId} label={t.dunning.acknowledgement} />}
                {l.archiveDocumentId && <DocumentButton documentId={l.archiveDocumentId} label={t.dunning.archive} />}
              </li>
            ))}
          </ul>
        </>
      )}
      {c.instalments.length > 0 && (
        <>
          <h2>{t.dunning.instalments}</h2>
          <ul>{c.instalments.map((i) => <li key={i.position}>{formatDate(i.dueOn)} : {formatEur(i.amountCents)} ({t.dunning.paid} {formatEur(i.paidCents)})</li>)}</ul>
        </>
      )}
      <h2>{t.dunning.timeline}</h2>
      <ul className="stack" aria-label={t.dunning.timeline}>
        {[...c.timeline].reverse().map((e) => (
          <li key={e.id}>
            <span className="muted">{formatDate(e.on)}</span> {e.title}
            {e.amountCents !== null && <span className="muted"> · {formatEur(e.amountCents)}</span>}
            {e.state && <span className="badge">{t.dunning.stepStates[e.state as 'done']}</span>}
            {e.documentId && <DocumentButton documentId={e.documentId} label={t.dunning.letterDocument} />}
          </li>
        ))}
      </ul>
      {canWrite && recovery && live && (
        <>
          <h2>{t.dunning.actions}</h2>
          <div className="stack">
            {c.status === 'open' && (
              <form className="filters" onSubmit={(e) => { e.preventDefault(); pause.mutate({ caseId, note }); }}>
                <TextField label={t.dunning.pauseNote} name="note" value={note} onChange={(e) => setNote(e.target.value)} />
                <button type="submit" className="button" disabled={pause.isPending}>{t.dunning.pause}</button>
                <FormMessage error={messageOf(pause.error)} />
              </form>
            )}
            {c.status === 'paused' && (
              <div><button type="button" className="button" disabled={resume.isPending} onClick={() => resume.mutate({ caseId })}>{t.dunning.resume}</button><FormMessage error={messageOf(resume.error)} /></div>
            )}
            <form className="filters" onSubmit={submitPlan}>
              <TextField label={t.dunning.planCount} name="count" type="number" min={2} max={36} value={count} onChange={(e) => setCount(e.target.value)} />
              <TextField label={t.dunning.planFirst} name="first" type="date" value={first} onChange={(e) => setFirst(e.target.value)} />
              <button type="submit" className="button" disabled={plan.isPending}>{t.dunning.planSubmit}</button>
              <FormMessage error={messageOf(plan.error)} />
            </form>
            <form className="filters" onSubmit={(e) => { e.preventDefault(); writeOff.mutate({ caseId, reason }); }}>
              <TextField label={t.dunning.writeOffReason} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              <button type="submit" className="button button--danger" disabled={writeOff.isPending}>{t.dunning.writeOff}</button>
              <FormMessage error={messageOf(writeOff.error)} />
            </form>
          </div>
        </>
      )}
    </section>
  );
}

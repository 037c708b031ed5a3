import { parisDay } from '@crm/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime, formatLongDate, formatPrice } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { DocumentsPanel } from '../documents/documents-panel.tsx';
import { ContractSchedule } from '../payments/contract-schedule.tsx';
import { ContractAmount, downloadContractFile, StatusBadge } from './contract-common.tsx';
import { MaskedIban } from '../../components/masked-iban.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { LegalTextsView, SignatureForm } from './signing-parts.tsx';

// The preview bundles domain rules (and their zod): loaded with the contract pages that show it, not with the app.
const SchedulePreview = lazy(() => import('./schedule-preview.tsx').then((m) => ({ default: m.SchedulePreview })));

const percent = (basisPoints: number) => `${(basisPoints / 100).toLocaleString('fr-FR')} %`;
const today = () => parisDay(new Date());

function useContract(contractId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.contracts.get.queryOptions({ contractId }));
}

export function ContractPage() {
  const { contractId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('contracts.write');
  const canSign = useCan('contracts.sign');
  const dialogs = useDialogs();
  const contract = useContract(contractId);
  const canReadPayments = useCan('payments.read');
  const scheduled = contract.data !== undefined && !['draft', 'sent'].includes(contract.data.status);
  const schedule = useQuery({ ...trpc.payments.schedule.queryOptions({ contractId }), enabled: canReadPayments && scheduled });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
  const options = { onSuccess: refresh };
  const send = useMutation(trpc.contracts.send.mutationOptions(options));
  const activate = useMutation(trpc.contracts.activate.mutationOptions(options));
  const suspend = useMutation(trpc.contracts.suspend.mutationOptions(options));
  const resume = useMutation(trpc.contracts.resume.mutationOptions(options));
  const terminate = useMutation(trpc.contracts.terminate.mutationOptions(options));
  const cancel = useMutation(trpc.contracts.cancel.mutationOptions(options));
  const withdraw = useMutation(trpc.contracts.withdraw.mutationOptions(options));
  const resendLink = useMutation(trpc.contracts.resendSigningLink.mutationOptions(options));
  const failed = [send, activate, suspend, resume, terminate, cancel, withdraw, resendLink].find((m) => m.isError)?.error;
  if (!contract.data) return <p>{contract.isError ? messageOf(contract.error) : t.app.loading}</p>;
  const c = contract.data;
  const a = t.contracts.actions;
  const id = { contractId: c.id };
  /** The transitions the server allows today (served with the record). */
  const allowed = (name: (typeof c.transitions)[number]) => c.transitions.includes(name);
  const w = t.contracts.whatHappens;
  const sepa = c.paymentMethod === 'sepa_debit';
  // The first debit still to come, for "le client sera prélevé à partir du …" (from the schedule
  // the worker made at signing; unknown until then or without the right to read payments).
  const nextDue = schedule.data?.items.find((item) => item.status === 'planned')?.dueDate;
  /** What each action will do, said in the dialog before it is done. */
  const messages: Record<string, string> = {
    [a.send]: w.send,
    [a.activate]: nextDue ? w.activateFrom(sepa, formatLongDate(nextDue)) : w.activate(sepa),
    [a.suspend]: w.suspend(sepa),
    [a.resume]: w.resume(sepa),
    [a.terminate]: w.terminate,
    [a.withdraw]: w.withdraw,
    [a.cancel]: w.cancel,
  };
  const ask = (label: string, danger?: boolean) => ({
    title: t.contracts.confirm(label, c.number),
    confirmLabel: label,
    ...(messages[label] ? { message: messages[label] } : {}),
    ...(danger ? { danger } : {}),
  });
  /** A transition that needs nothing but a yes. */
  const confirmed = (label: string, run: () => void, danger?: boolean) => async () => {
    if (await dialogs.confirm(ask(label, danger))) run();
  };
  // Each action asks in the app's dialog (with the value it needs, for terminate and cancel), then runs.
  const actions: { label: string; when: boolean; run: () => Promise<void>; danger?: boolean }[] = [
    { label: a.send, when: allowed('send'), run: confirmed(a.send, () => send.mutate(id)) },
    { label: a.activate, when: allowed('activate'), run: confirmed(a.activate, () => activate.mutate(id)) },
    { label: a.suspend, when: allowed('suspend'), run: confirmed(a.suspend, () => suspend.mutate(id)) },
    { label: a.resume, when: allowed('resume'), run: confirmed(a.resume, () => resume.mutate(id)) },
    {
      label: a.terminate,
      when: allowed('terminate'),
      danger: true,
      run: async () => {
        const endDate = await dialogs.prompt({ ...ask(a.terminate, true), field: { label: t.contracts.endDatePrompt, type: 'date', initial: today() } });
        if (endDate) terminate.mutate({ ...id, endDate });
      },
    },
    {
      label: a.withdraw,
      // The server says when (a consumer, until the deadline); it still decides.
      when: allowed('withdraw'),
      danger: true,
      run: confirmed(a.withdraw, () => withdraw.mutate(id), true),
    },
    {
      label: a.cancel,
      when: allowed('cancel'),
      danger: true,
      run: async () => {
        const reason = await dialogs.prompt({ ...ask(a.cancel, true), field: { label: t.contracts.reasonPrompt } });
        if (reason) cancel.mutate({ ...id, reason });
      },
    },
  ];
  return (
    <section className="stack">
      <Link to="/contrats">{t.contracts.back}</Link>
      <div className="page-header">
        <h1>{c.number} <StatusBadge status={c.status} /></h1>
        <div className="actions">
          {canWrite && c.status === 'draft' && <Link className="button button--ghost" to={`/contrats/${c.id}/modifier`}>{t.contracts.edit}</Link>}
          {canSign && c.transitions.includes('sign') && <Link className="button button--primary" to={`/contrats/${c.id}/signature`}>{a.sign}</Link>}
          {canWrite && actions.filter((action) => action.when).map((action) => (
            <button key={action.label} type="button" className={action.danger ? 'button button--danger' : 'button button--ghost'}
              onClick={() => void action.run()}>
              {action.label}
            </button>
          ))}
        </div>
      </div>
      <FormMessage error={failed ? messageOf(failed) : null} />
      {failed && Object.entries(fieldErrorsOf(failed)).map(([field, messages]) => <p key={field} className="field__error" role="alert">{messages.join(' ')}</p>)}
      <div className="card">
        <dl className="facts">
          <dt>{t.contracts.client}</dt><dd><Link to={`/clients/${c.client.id}`}>{c.client.displayName}</Link></dd>
          <dt>{t.contracts.startDate}</dt><dd>{formatDate(c.startDate)}</dd>
          <dt>{t.contracts.duration}</dt><dd>{t.contracts.durationValue(c.durationMonths)}</dd>
          <dt>{t.contracts.tacitRenewal}</dt><dd>{c.tacitRenewal ? t.contracts.yes : t.contracts.no}</dd>
          <dt>{t.contracts.frequency}</dt><dd>{t.products.frequencies[c.billingFrequency]}</dd>
          <dt>{t.contracts.paymentMethod}</dt><dd>{t.contracts.paymentMethods[c.paymentMethod]}</dd>
          {c.paymentMethod === 'sepa_debit' && (<><dt>{t.contracts.debtorName}</dt><dd>{c.debtorName ?? '—'}</dd><dt>{t.contracts.iban}</dt><dd>{c.debtorIban ? <MaskedIban iban={c.debtorIban} canReveal={canWrite} /> : '—'}</dd><dt>{t.contracts.sepaScheme}</dt><dd>{t.contracts.sepaSchemes[c.sepaScheme]}</dd></>)}
          {c.signedAt && (<><dt>{t.contracts.statuses.signed}</dt><dd>{t.contracts.signedOn(formatDateTime(c.signedAt), c.signerName ?? '')}{c.signedPlace ? ` (${c.signedPlace})` : ''}</dd></>)}
          {c.consentText && (<><dt>{t.contracts.consentGiven}</dt><dd data-testid="signature-consent-stored">{c.consentText}</dd></>)}
          {c.withdrawalDeadline && ['signed', 'active', 'suspended'].includes(c.status) && (
            <>
              <dt>{t.contracts.withdrawal}</dt>
              <dd>{today() <= c.withdrawalDeadline ? t.contracts.withdrawalUntil(formatDate(c.withdrawalDeadline)) : t.contracts.withdrawalOver(formatDate(c.withdrawalDeadline))}</dd>
            </>
          )}
          {c.endDate && (<><dt>{a.terminate}</dt><dd>{formatDate(c.endDate)}</dd></>)}
          {c.cancellationReason && (<><dt>{t.contracts.reasonPrompt}</dt><dd>{c.cancellationReason}</dd></>)}
        </dl>
      </div>
      {c.status === 'sent' && (
        <SigningLinkCard contract={c} canWrite={canWrite} pending={resendLink.isPending}
          onResend={async () => {
            const l = t.contracts.signingLink;
            if (await dialogs.confirm({ title: l.resendConfirm, message: l.resendMessage, confirmLabel: l.resend })) resendLink.mutate(id);
          }} />
      )}
      <ContractLines contract={c} />
      <div className="card">
        <h2>{t.contracts.documents}</h2>
        <div className="actions" style={{ justifyContent: 'flex-start' }}>
          <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'pdf')}>{t.contracts.contractPdf}</button>
          {c.paymentMethod === 'sepa_debit' && <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'mandate.pdf')}>{t.contracts.mandatePdf}</button>}
        </div>
      </div>
      {/* The worker makes the schedule when the contract is signed; until then, what it will be. */}
      {c.status === 'draft' || c.status === 'sent' ? <ContractSchedulePreview contract={c} /> : <ContractSchedule contractId={c.id} />}
      <DocumentsPanel contractId={c.id} />
      <div className="card">
        <h2>{t.contracts.history}</h2>
        <ul>
          {c.history.map((h) => (
            <li key={`${h.at}-${h.to}`}>{formatDateTime(h.at)} : {t.contracts.statuses[h.to]}{h.reason ? ` (${h.reason})` : ''}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}

type ContractData = NonNullable<ReturnType<typeof useContract>['data']>;

/** Where the mailed signing link stands: sent to whom, until when, used or not; resent on demand. */
function SigningLinkCard({ contract: c, canWrite, pending, onResend }: { contract: ContractData; canWrite: boolean; pending: boolean; onResend: () => Promise<void> }) {
  const l = t.contracts.signingLink;
  const link = c.signingLink;
  let text: string = l.none;
  if (link?.status === 'live') text = l.live(link.recipient, formatDateTime(link.expiresAt));
  else if (link?.status === 'used') text = l.used(link.recipient);
  else if (link?.status === 'revoked') text = l.revoked;
  else if (link?.status === 'expired') text = l.expired(formatDateTime(link.expiresAt));
  const mail = link?.mailStatus ? l.mail[link.mailStatus] : null;
  return (
    <section className="card stack" aria-label={l.title}>
      <h2>{l.title}</h2>
      <p data-testid="signing-link-status">{text}{mail ? ` (${mail}${link?.mailSentAt ? ` le ${formatDateTime(link.mailSentAt)}` : ''})` : ''}</p>
      {canWrite && link && (
        <div className="actions" style={{ justifyContent: 'flex-start' }}>
          <button type="button" className="button button--ghost" disabled={pending} onClick={() => void onResend()}>{l.resend}</button>
        </div>
      )}
    </section>
  );
}

function ContractSchedulePreview({ contract: c }: { contract: ContractData }) {
  const trpc = useTRPC();
  const organisation = useQuery(trpc.organisations.get.queryOptions());
  const debitDay = c.debitDay ?? organisation.data?.sepaDebitDay ?? null;
  return (
    <Suspense fallback={<p className="muted">{t.app.loading}</p>}>
      <SchedulePreview draft={{ paymentMethod: c.paymentMethod, startDate: c.startDate, durationMonths: c.durationMonths, frequency: c.billingFrequency, debitDay, lines: c.lines }} />
    </Suspense>
  );
}

function ContractLines({ contract: c }: { contract: ContractData }) {
  // Every line is billed at the contract's frequency: its price is per contract period.
  const f = c.billingFrequency;
  return (
    <div className="table-wrap"><table className="table table--stack" aria-label={t.contracts.linesTable}>
      <thead><tr><th>{t.contracts.product}</th><th>{t.contracts.quantity}</th><th>{t.contracts.unitPrice}</th><th>{t.contracts.vat}</th><th>{t.contracts.totalHt}</th></tr></thead>
      <tbody>
        {c.lines.map((line) => (
          <tr key={line.id}><td>{line.label}</td><td data-label={t.contracts.quantity}>{line.quantity}</td><td data-label={t.contracts.unitPrice}>{formatPrice(line.unitPriceCents, f, 'HT')}</td><td data-label={t.contracts.vat}>{percent(line.vatRateBasisPoints)}</td><td data-label={t.contracts.totalHt}>{formatPrice(line.htCents, f, 'HT')}</td></tr>
        ))}
        <tr className="table__total"><td colSpan={4}>{t.contracts.totalHt}</td><td>{formatPrice(c.totals.htCents, f, 'HT')}</td></tr>
        <tr className="table__total"><td colSpan={4}>{t.contracts.totalVat}</td><td>{formatPrice(c.totals.vatCents, f, null)}</td></tr>
        <tr className="table__total"><td colSpan={4}><strong>{t.contracts.totalTtc}</strong></td><td><strong><ContractAmount ttcCents={c.totals.ttcCents} frequency={f} /></strong></td></tr>
      </tbody>
    </table></div>
  );
}

/**
 * The signing page: the client reads the summary, the PDF, the mandate with the IBAN and the
 * schedule, types their name and consents, in front of the rep; or, in the hand-over mode, alone
 * on the rep's tablet: full screen, nothing of the back office around it, left only with the
 * rep's password (auth.confirmPassword).
 */
export function ContractSignPage() {
  const { contractId = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contract = useContract(contractId);
  const [handOver, setHandOver] = useState(false);
  const sign = useMutation(trpc.contracts.sign.mutationOptions({
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
      if (!handOver) void navigate(`/contrats/${contractId}`);
    },
  }));
  if (!contract.data) return <p>{contract.isError ? messageOf(contract.error) : t.app.loading}</p>;
  const c = contract.data;
  const reading = (
    <>
      <div className="card">
        <dl className="facts">
          <dt>{t.contracts.client}</dt><dd>{c.client.displayName}</dd>
          <dt>{t.contracts.startDate}</dt><dd>{formatDate(c.startDate)}</dd>
          <dt>{t.contracts.duration}</dt><dd>{t.contracts.durationValue(c.durationMonths)}{c.tacitRenewal ? ` · ${t.contracts.tacitRenewal}` : ''}</dd>
          <dt>{t.contracts.paymentMethod}</dt><dd>{t.contracts.paymentMethods[c.paymentMethod]}</dd>
          {c.paymentMethod === 'sepa_debit' && c.debtorIban && (
            <><dt>{t.contracts.debitedAccount}</dt><dd>{c.debtorName ?? c.client.displayName} · <MaskedIban iban={c.debtorIban} canReveal={!handOver} /></dd></>
          )}
        </dl>
      </div>
      <ContractLines contract={c} />
      <ContractSchedulePreview contract={c} />
      <LegalTextsView legal={c.legal} debtorName={c.debtorName} iban={c.debtorIban} />
      <button type="button" className="button button--ghost" onClick={() => void downloadContractFile(c.id, 'pdf')}>{t.contracts.contractPdf}</button>
    </>
  );
  const form = (
    <SignatureForm clientKind={c.client.kind} clientName={c.client.displayName} city={c.client.city} consentText={c.legal.signatureConsent}
      pending={sign.isPending} error={sign.error}
      onSign={(values) => sign.mutate({ contractId: c.id, ...values, mode: handOver ? 'hand_over' : 'in_app' })} />
  );
  if (handOver) {
    return (
      <HandOverMode number={c.number} signed={sign.isSuccess} onLeave={() => { setHandOver(false); if (sign.isSuccess) void navigate(`/contrats/${c.id}`); }}>
        {reading}
        {form}
      </HandOverMode>
    );
  }
  return (
    <section className="stack">
      <Link to={`/contrats/${c.id}`}>← {c.number}</Link>
      <h1>{t.contracts.signTitle(c.number)}</h1>
      {!c.transitions.includes('sign') ? (
        <p>{t.contracts.notSignable(t.contracts.statuses[c.status])}</p>
      ) : (
        <>
          <div className="card stack">
            <p>{t.contracts.handOver.startHint}</p>
            <div className="actions" style={{ justifyContent: 'flex-start' }}>
              <button type="button" className="button button--primary" onClick={() => { sign.reset(); setHandOver(true); }}>{t.contracts.handOver.start}</button>
            </div>
          </div>
          <p>{t.contracts.signIntro}</p>
          {reading}
          {form}
        </>
      )}
    </section>
  );
}

/**
 * The client's screen: a full-screen layer over the whole app (no sidebar, no links, Back kept on
 * this page), asked of the browser in full screen too where it allows. Leaving asks the rep's
 * password; a wrong one keeps the mode.
 */
function HandOverMode({ number, signed, onLeave, children }: { number: string; signed: boolean; onLeave: () => void; children: ReactNode }) {
  const trpc = useTRPC();
  const dialogs = useDialogs();
  const organisation = useQuery(trpc.organisations.get.queryOptions());
  const confirm = useMutation(trpc.auth.confirmPassword.mutationOptions());
  const [refused, setRefused] = useState(false);
  const h = t.contracts.handOver;
  useEffect(() => {
    document.documentElement.requestFullscreen?.().catch(() => undefined);
    // Back stays here: the history gets an entry that Back only pops to come back to it.
    window.history.pushState({ handOver: true }, '');
    const stay = () => window.history.pushState({ handOver: true }, '');
    window.addEventListener('popstate', stay);
    return () => {
      window.removeEventListener('popstate', stay);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, []);
  // A refusal before the signature is not news after it.
  useEffect(() => {
    if (signed) setRefused(false);
  }, [signed]);
  const leave = async () => {
    const password = await dialogs.prompt({ title: h.leaveTitle, message: h.leaveMessage, confirmLabel: h.leave, field: { label: h.password, type: 'password' } });
    if (!password) return;
    setRefused(false);
    try {
      await confirm.mutateAsync({ password });
      onLeave();
    } catch {
      setRefused(true);
    }
  };
  return (
    <div className="hand-over" role="main" aria-label={h.title(number)} data-testid="hand-over">
      <div className="stack hand-over__body">
        <div className="page-header">
          <h1>{h.title(number)}</h1>
          <div className="actions">
            <button type="button" className="button button--ghost" onClick={() => void leave()}>{h.leave}</button>
          </div>
        </div>
        {refused && <FormMessage error={h.wrongPassword} />}
        {signed ? (
          <div className="card stack" role="status">
            <h2>{h.done}</h2>
            <p>{h.doneHint}</p>
          </div>
        ) : (
          <>
            <p>{h.intro(organisation.data?.name ?? '')}</p>
            {children}
          </>
        )}
      </div>
    </div>
  );
}

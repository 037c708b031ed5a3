import { parisDay } from '@crm/domain/browser';
import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from './load-more.tsx';
import { ItemStatusBadge, ReasonBadge } from './payment-badges.tsx';

type Item = RouterOutputs['payments']['items']['items'][number];
type Status = Item['status'];
const today = () => parisDay(new Date());

/** Paiements: schedule items by status and reason code, manual payments, and the payments recorded. */
export function PaymentsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  const [status, setStatus] = useState<Status | ''>('');
  const [reasonCode, setReasonCode] = useState('');
  const reason = /^[A-Za-z0-9]{4}$/.test(reasonCode) ? reasonCode.toUpperCase() : undefined;
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const items = useInfiniteQuery(trpc.payments.items.infiniteQueryOptions({ ...(status ? { status } : {}), ...(reason ? { reasonCode: reason } : {}), limit: 50 }, next));
  const payments = useInfiniteQuery(trpc.payments.list.infiniteQueryOptions({ ...(reason ? { reasonCode: reason } : {}), limit: 50 }, next));
  const itemRows = items.data?.pages.flatMap((page) => page.items);
  const paymentRows = payments.data?.pages.flatMap((page) => page.items);
  const reasons = useQuery(trpc.referentiel.sepaReturnReasons.queryOptions());
  const settle = useMutation(trpc.payments.settleUnanswered.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() }) }));
  const statuses = [{ value: '', label: t.payments.all }, ...Object.entries(t.payments.itemStatuses).map(([value, label]) => ({ value, label }))];
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.payments.list.title}</h1>
        {canWrite && <button type="button" className="button" onClick={() => settle.mutate()} disabled={settle.isPending}>{t.payments.list.settle}</button>}
      </div>
      <FormMessage error={messageOf(settle.error)} success={settle.data ? t.payments.list.settled(settle.data.settled) : null} />
      <div className="filters">
        <SelectField label={t.payments.status} name="status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')} options={statuses} />
        <TextField label={t.payments.reasonCode} name="reasonCode" list="sepa-reasons" hint={t.payments.reasonCodeHint} value={reasonCode} onChange={(e) => setReasonCode(e.target.value)} />
        <datalist id="sepa-reasons">{reasons.data?.map((r) => <option key={r.code} value={r.code}>{r.labelFr}</option>)}</datalist>
      </div>
      <h2>{t.payments.list.items}</h2>
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.payments.dueDate}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.period}</th><th>{t.payments.amount}</th><th>{t.payments.status}</th><th>{t.payments.reasonCode}</th><th /></tr>
        </thead>
        <tbody>
          {itemRows?.length === 0 && <tr><td colSpan={8} className="muted">{t.payments.list.empty}</td></tr>}
          {itemRows?.map((item) => <ItemRow key={item.id} item={item} canWrite={canWrite} />)}
        </tbody>
      </table></div>
      <LoadMore pages={items} />
      <h2>{t.payments.list.history}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.payments.list.valueDate}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.list.method}</th><th>{t.payments.amount}</th><th>{t.payments.list.outcome}</th><th>{t.payments.reasonCode}</th></tr></thead>
        <tbody>
          {paymentRows?.length === 0 && <tr><td colSpan={7} className="muted">{t.payments.list.noPayments}</td></tr>}
          {paymentRows?.map((p) => (
            <tr key={p.id}>
              <td>{formatDate(p.valueDate)}</td>
              <td><Link to={`/clients/${p.clientId}`}>{p.clientName}</Link></td>
              <td>{p.contractId ? <Link to={`/contrats/${p.contractId}`}>{p.contractNumber}</Link> : ''}</td>
              <td>{t.payments.methods[p.method]}{p.reference ? ` (${p.reference})` : ''}</td>
              <td>{formatEur(p.amountCents)}</td>
              <td>{p.rTransaction && p.rTransaction !== 'reject' ? t.payments.rTransactions[p.rTransaction] : t.payments.outcomes[p.outcome]}</td>
              <td><ReasonBadge label={p.reasonLabel} category={p.reasonCategory} /></td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={payments} />
    </section>
  );
}

function ItemRow({ item, canWrite }: { item: Item; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr>
        <td>{formatDate(item.dueDate)}</td>
        <td><Link to={`/clients/${item.clientId}`}>{item.clientName}</Link></td>
        <td><Link to={`/contrats/${item.contractId}`}>{item.contractNumber}</Link></td>
        <td>{formatDate(item.periodStart)} – {formatDate(item.periodEnd)}</td>
        <td>{formatEur(item.amountCents)}</td>
        <td><ItemStatusBadge status={item.status} /></td>
        <td><ReasonBadge label={item.reasonLabel} category={item.reasonCategory} /></td>
        <td className="table__actions">
          {canWrite && (item.status === 'planned' || item.status === 'rejected') && !open && (
            <button type="button" className="button button--ghost" onClick={() => setOpen(true)}>{t.payments.list.record}</button>
          )}
        </td>
      </tr>
      {open && (
        <tr><td colSpan={8}><ManualPaymentForm item={item} onDone={() => setOpen(false)} /></td></tr>
      )}
    </>
  );
}

export function ManualPaymentForm({ item, onDone }: { item: { id: string; amountCents: number }; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<'transfer' | 'card' | 'cheque'>('transfer');
  const [receivedOn, setReceivedOn] = useState(today());
  const [reference, setReference] = useState('');
  const record = useMutation(trpc.payments.recordManual.mutationOptions({
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() }); onDone(); },
  }));
  const errors = fieldErrorsOf(record.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate({ scheduleItemId: item.id, method, receivedOn, ...(reference.trim() ? { reference } : {}) });
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t.payments.list.record}>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(record.error)} />
      <div className="grid">
        <SelectField label={t.payments.list.method} name="method" errors={errors} value={method} onChange={(e) => setMethod(e.target.value as typeof method)}
          options={(['transfer', 'card', 'cheque'] as const).map((m) => ({ value: m, label: t.payments.methods[m] }))} />
        <TextField label={t.payments.list.receivedOn} name="receivedOn" type="date" errors={errors} value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />
        <TextField label={t.payments.list.reference} name="reference" errors={errors} value={reference} onChange={(e) => setReference(e.target.value)} />
      </div>
      <div className="actions">
        <span>{formatEur(item.amountCents)}</span>
        <button className="button button--primary" type="submit" disabled={record.isPending}>{t.payments.list.save}</button>
        <button className="button button--ghost" type="button" onClick={onDone}>{t.payments.batches.cancel}</button>
      </div>
    </form>
  );
}

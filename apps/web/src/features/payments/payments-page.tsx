import { parisDay } from '@crm/domain/browser';
import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDialogs } from '../../components/confirm-dialog.tsx';
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

/** The filters of the debits list, as they live in the URL (Back and a shared link keep them). */
function useItemFilters() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('statut') ?? '') as Status | '';
  const clientId = params.get('client') ?? '';
  const from = params.get('du') ?? '';
  const to = params.get('au') ?? '';
  const reasonCode = params.get('motif') ?? '';
  const set = (key: string, value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    }, { replace: true });
  return { status, clientId, from, to, reasonCode, set, clear: () => setParams({}, { replace: true }), any: [...params.keys()].length > 0 };
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Picks a client by name (suggestions as typed, homonyms told apart by city), shown as a removable chip once chosen. */
function ClientFilter({ clientId, onChange }: { clientId: string; onChange: (id: string) => void }) {
  const trpc = useTRPC();
  const [typed, setTyped] = useState('');
  const chosen = useQuery({ ...trpc.clients.get.queryOptions({ clientId }), enabled: Boolean(clientId), retry: false });
  const suggestions = useQuery({ ...trpc.clients.list.queryOptions({ search: typed.trim(), limit: 10 }), enabled: !clientId && typed.trim().length >= 2 });
  const labelOf = (c: { displayName: string; city: string | null }) => (c.city ? `${c.displayName} (${c.city})` : c.displayName);
  if (clientId) {
    return (
      <div className="field">
        <span className="field__label">{t.payments.list.clientFilter}</span>
        <span className="chip">
          {chosen.data ? chosen.data.displayName : '…'}{' '}
          <button type="button" className="button button--ghost" aria-label={t.payments.list.clearClient} onClick={() => { setTyped(''); onChange(''); }}>✕</button>
        </span>
      </div>
    );
  }
  const options = suggestions.data?.items ?? [];
  return (
    <>
      <TextField label={t.payments.list.clientFilter} name="clientFilter" list="payment-clients" hint={t.payments.list.clientFilterHint} value={typed} autoComplete="off"
        onChange={(e) => {
          setTyped(e.target.value);
          const match = options.find((c) => labelOf(c) === e.target.value || c.displayName === e.target.value);
          if (match) onChange(match.id);
        }} />
      <datalist id="payment-clients">{options.map((c) => <option key={c.id} value={labelOf(c)} />)}</datalist>
    </>
  );
}

/** Paiements: debits by status, client, collection date and reason code (filters in the URL), manual payments, and the payments recorded. */
export function PaymentsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { confirm } = useDialogs();
  const canWrite = useCan('payments.write');
  const filters = useItemFilters();
  const reason = /^[A-Za-z0-9]{4}$/.test(filters.reasonCode) ? filters.reasonCode.toUpperCase() : undefined;
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const itemInput = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(reason ? { reasonCode: reason } : {}),
    ...(filters.clientId ? { clientId: filters.clientId } : {}),
    ...(isDay(filters.from) ? { from: filters.from } : {}),
    ...(isDay(filters.to) ? { to: filters.to } : {}),
    limit: 50,
  };
  const items = useInfiniteQuery({ ...trpc.payments.items.infiniteQueryOptions(itemInput, next), retry: false });
  const payments = useInfiniteQuery(trpc.payments.list.infiniteQueryOptions({ ...(reason ? { reasonCode: reason } : {}), ...(filters.clientId ? { clientId: filters.clientId } : {}), limit: 50 }, next));
  const itemRows = items.data?.pages.flatMap((page) => page.items);
  const paymentRows = payments.data?.pages.flatMap((page) => page.items);
  const reasons = useQuery(trpc.referentiel.sepaReturnReasons.queryOptions());
  const settle = useMutation(trpc.payments.settleUnanswered.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() }) }));
  const askSettle = async () => {
    // Says how many debits and how much before anything is recorded.
    const what = await queryClient.fetchQuery(trpc.payments.unanswered.queryOptions());
    const ok = await confirm({
      title: t.payments.list.confirmSettle,
      message: t.payments.list.confirmSettleMessage(what.count, formatEur(what.totalCents), what.waitingDays),
      confirmLabel: t.payments.list.settle,
    });
    if (ok && what.count > 0) settle.mutate();
  };
  const statuses = [{ value: '', label: t.payments.all }, ...Object.entries(t.payments.itemStatuses).map(([value, label]) => ({ value, label }))];
  const filterErrors = fieldErrorsOf(items.error);
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.payments.list.title}</h1>
        {canWrite && <button type="button" className="button" onClick={() => void askSettle()} disabled={settle.isPending}>{t.payments.list.settle}</button>}
      </div>
      <FormMessage error={messageOf(settle.error)} success={settle.data ? t.payments.list.settled(settle.data.settled) : null} />
      <div className="filters">
        <SelectField label={t.payments.status} name="status" value={filters.status} onChange={(e) => filters.set('statut', e.target.value)} options={statuses} />
        <ClientFilter clientId={filters.clientId} onChange={(id) => filters.set('client', id)} />
        <TextField label={t.payments.list.from} name="from" type="date" errors={filterErrors} value={filters.from} onChange={(e) => filters.set('du', e.target.value)} />
        <TextField label={t.payments.list.to} name="to" type="date" errors={filterErrors} value={filters.to} onChange={(e) => filters.set('au', e.target.value)} />
        <TextField label={t.payments.reasonCode} name="reasonCode" list="sepa-reasons" hint={t.payments.reasonCodeHint} value={filters.reasonCode} onChange={(e) => filters.set('motif', e.target.value)} />
        <datalist id="sepa-reasons">{reasons.data?.map((r) => <option key={r.code} value={r.code}>{r.labelFr}</option>)}</datalist>
        {filters.any && <button type="button" className="button button--ghost" onClick={filters.clear}>{t.payments.list.clearFilters}</button>}
      </div>
      <h2>{t.payments.list.items}</h2>
      <div className="table-wrap"><table className="table" aria-label={t.payments.list.items}>
        <thead>
          <tr><th>{t.payments.list.collectionDate}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.period}</th><th>{t.payments.amount}</th><th>{t.payments.status}</th><th>{t.payments.list.notice}</th><th>{t.payments.reasonCode}</th><th /></tr>
        </thead>
        <tbody>
          {itemRows?.length === 0 && <tr><td colSpan={9} className="muted">{t.payments.list.empty}</td></tr>}
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

function noticeText(item: Item): string {
  if (item.paymentMethod !== 'sepa_debit') return '';
  if (!item.notice) return item.status === 'planned' ? t.payments.list.noNotice : '';
  if (!item.notice.sentAt) return t.payments.list.noticePending;
  return t.payments.list.noticeSent(formatDate(parisDay(new Date(item.notice.sentAt))), t.payments.list.noticeChannels[item.notice.channel] ?? '');
}

function ItemRow({ item, canWrite }: { item: Item; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr>
        <td>
          {formatDate(item.collectionDate)}
          {item.collectionDate !== item.dueDate && <><br /><span className="muted">{t.payments.list.dueOn(formatDate(item.dueDate))}</span></>}
        </td>
        <td><Link to={`/clients/${item.clientId}`}>{item.clientName}</Link></td>
        <td><Link to={`/contrats/${item.contractId}`}>{item.contractNumber}</Link></td>
        <td>{formatDate(item.periodStart)} – {formatDate(item.periodEnd)}</td>
        <td>{formatEur(item.amountCents)}</td>
        <td><ItemStatusBadge status={item.status} /></td>
        <td className="muted">{noticeText(item)}</td>
        <td><ReasonBadge label={item.reasonLabel} category={item.reasonCategory} /></td>
        <td className="table__actions">
          {canWrite && (item.status === 'planned' || item.status === 'rejected') && !open && (
            <button type="button" className="button button--ghost" onClick={() => setOpen(true)}>{t.payments.list.record}</button>
          )}
        </td>
      </tr>
      {open && (
        <tr><td colSpan={9}><ManualPaymentForm item={item} onDone={() => setOpen(false)} /></td></tr>
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

import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur, formatLongDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from './load-more.tsx';
import { ReasonBadge } from './payment-badges.tsx';

type Reject = RouterOutputs['retries']['list']['items'][number];

/** What comes next for a rejection, and when, in words. */
function nextStepText(reject: Reject): string {
  const next = reject.next;
  const r = t.rejects.next;
  switch (next.kind) {
    case 'pending':
      return r.pending;
    case 'represent':
      return r.represent(next.attempt, formatLongDate(next.date), t.payments.itemStatuses[next.itemStatus as keyof typeof t.payments.itemStatuses] ?? next.itemStatus);
    case 'recovered':
      return r.recovered(formatLongDate(next.date));
    case 'rejected_again':
      return r.rejectedAgain(formatLongDate(next.date));
    case 'dunning':
      return r.dunning[next.why];
  }
}

/** Rejets : each rejected debit, its reason in French, what happens next and when, and what a person may do. */
export function RejectsPage() {
  const trpc = useTRPC();
  const [view, setView] = useState<'open' | 'all'>('open');
  const next = { getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined };
  const rejects = useInfiniteQuery(trpc.retries.list.infiniteQueryOptions({ view, limit: 50 }, next));
  const rows = rejects.data?.pages.flatMap((page) => page.items);
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.rejects.title}</h1>
      </div>
      <p className="muted">{t.rejects.intro}</p>
      <div className="filters">
        <SelectField label={t.rejects.view} name="view" value={view} onChange={(e) => setView(e.target.value as 'open' | 'all')}
          options={[{ value: 'open', label: t.rejects.views.open }, { value: 'all', label: t.rejects.views.all }]} />
      </div>
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.rejects.rejectedOn}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.amount}</th><th>{t.rejects.reason}</th><th>{t.rejects.attempt}</th><th>{t.rejects.nextStep}</th><th /></tr>
        </thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={8} className="muted">{t.rejects.empty}</td></tr>}
          {rows?.map((reject) => <RejectRow key={reject.id} reject={reject} />)}
        </tbody>
      </table></div>
      <LoadMore pages={rejects} />
    </section>
  );
}

function RejectRow({ reject }: { reject: Reject }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  const done = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.retries.pathKey() }) };
  const representNow = useMutation(trpc.retries.representNow.mutationOptions(done));
  const stop = useMutation(trpc.retries.stop.mutationOptions(done));
  const askBankDetails = useMutation(trpc.retries.requestBankDetails.mutationOptions(done));
  const error = representNow.error ?? stop.error ?? askBankDetails.error;
  const busy = representNow.isPending || stop.isPending || askBankDetails.isPending;
  const id = { paymentId: reject.id };
  return (
    <>
      <tr data-reject={reject.id}>
        <td>{formatDate(reject.rejectedOn)}</td>
        <td><Link to={`/clients/${reject.client.id}`}>{reject.client.displayName}</Link></td>
        <td>{reject.contract ? <Link to={`/contrats/${reject.contract.id}`}>{reject.contract.number}</Link> : ''}</td>
        <td>
          {formatEur(reject.amountCents)}
          {reject.kind === 'reject_fee' && <div className="muted">{t.rejects.rejectFee}</div>}
          {reject.fee && <div className="muted">{t.rejects.withFee(formatEur(reject.fee.amountCents))}</div>}
        </td>
        <td>
          <ReasonBadge label={reject.reasonLabel} category={reject.category} />
          <div className="muted">{reject.categoryLabel}{reject.rTransaction && reject.rTransaction !== 'reject' ? ` · ${t.payments.rTransactions[reject.rTransaction]}` : ''}</div>
        </td>
        <td>{reject.attempt}</td>
        <td>
          {nextStepText(reject)}
          {reject.bankDetailsRequestedAt && <div className="muted">{t.rejects.bankDetailsRequested(formatDate(reject.bankDetailsRequestedAt.slice(0, 10)))}</div>}
          {reject.mandate?.amended && <div className="muted">{t.rejects.mandateAmended}</div>}
        </td>
        <td className="table__actions">
          {canWrite && reject.actions.representNow && (
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => representNow.mutate(id)}>{t.rejects.actions.representNow}</button>
          )}
          {canWrite && reject.actions.stop && (
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => stop.mutate(id)}>{t.rejects.actions.stop}</button>
          )}
          {canWrite && reject.actions.requestBankDetails && (
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => askBankDetails.mutate(id)}>{t.rejects.actions.requestBankDetails}</button>
          )}
          {canWrite && reject.mandate?.status === 'active' && (
            <Link className="button button--ghost" to="/mandats">{t.rejects.actions.amendMandate}</Link>
          )}
        </td>
      </tr>
      {(error || askBankDetails.isSuccess) && (
        <tr><td colSpan={8}><FormMessage error={messageOf(error)} success={askBankDetails.isSuccess && !error ? t.rejects.bankDetailsSent : null} /></td></tr>
      )}
    </>
  );
}

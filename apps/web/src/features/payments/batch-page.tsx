import { longFrenchDate } from '@crm/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { useBatchActions } from './batch-actions.tsx';
import { ExcludedTable } from './batches-page.tsx';
import { BatchStatusBadge, ItemStatusBadge } from './payment-badges.tsx';
import { downloadBatchFile } from './payment-files.ts';

/**
 * One batch, opened to its debits (client, amount, mandate, sequence); before the file goes to
 * the bank a debit can be taken out, the totals following at once; the debits left out and why.
 */
export function BatchPage() {
  const { batchId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { confirm } = useDialogs();
  const canWrite = useCan('payments.write');
  const batch = useQuery(trpc.batches.get.queryOptions({ batchId }));
  const actions = useBatchActions();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const remove = useMutation(trpc.batches.removeItem.mutationOptions({
    onSuccess: (updated) => {
      queryClient.setQueryData(trpc.batches.get.queryKey({ batchId }), updated);
      void queryClient.invalidateQueries({ queryKey: trpc.batches.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() });
    },
  }));
  if (batch.error) return <FormMessage error={messageOf(batch.error)} />;
  const b = batch.data;
  if (!b) return <p>{t.app.loading}</p>;
  const open = b.status === 'generated';
  const take = (item: (typeof b.items)[number]) =>
    void confirm({
      title: t.payments.batches.confirmRemove,
      message: t.payments.batches.confirmRemoveMessage(formatEur(item.amountCents), item.clientName, b.itemCount - 1, formatEur(b.totalCents - item.amountCents)),
      confirmLabel: t.payments.batches.remove,
      danger: true,
    }).then((ok) => ok && remove.mutate({ batchId: b.id, scheduleItemId: item.id }));
  return (
    <section className="stack">
      <p><Link to="/prelevements">← {t.payments.batches.back}</Link></p>
      <div className="page-header">
        <h1>{t.payments.batches.heading(b.number, longFrenchDate(b.collectionDate))}</h1>
        <div className="actions">
          {canWrite && b.status !== 'cancelled' && (
            <button type="button" className="button button--ghost" onClick={() => { setDownloadError(null); downloadBatchFile(b.id).catch((e: unknown) => setDownloadError(e instanceof Error ? e.message : t.app.error)); }}>
              {t.payments.batches.download}
            </button>
          )}
          {canWrite && open && <button type="button" className="button" onClick={() => actions.markSent(b)}>{t.payments.batches.markSent}</button>}
          {canWrite && open && <button type="button" className="button button--danger" onClick={() => actions.cancel(b)}>{t.payments.batches.cancelBatch}</button>}
        </div>
      </div>
      <p role="status" aria-live="polite" data-testid="batch-totals">
        <BatchStatusBadge status={b.status} /> {t.payments.batches.summary(b.itemCount, formatEur(b.totalCents))} · {b.format}
      </p>
      <FormMessage error={downloadError ?? messageOf(remove.error ?? actions.error)} />
      <div className="table-wrap"><table className="table table--stack" aria-label={t.payments.batches.items}>
        <thead>
          <tr><th>{t.payments.client}</th><th>{t.payments.amount}</th><th>{t.payments.batches.mandate}</th><th>{t.payments.batches.sequence}</th><th>{t.payments.contract}</th><th>{t.payments.dueDate}</th><th>{t.payments.status}</th><th /></tr>
        </thead>
        <tbody>
          {b.items.map((item) => (
            <tr key={item.id}>
              <td><Link to={`/clients/${item.clientId}`}>{item.clientName}</Link></td>
              <td>{formatEur(item.amountCents)}</td>
              <td><code>{item.rum ?? ''}</code></td>
              <td>{item.sequenceType ? (t.payments.batches.sequences[item.sequenceType] ?? item.sequenceType) : ''}</td>
              <td><Link to={`/contrats/${item.contractId}`}>{item.contractNumber}</Link></td>
              <td>{formatDate(item.dueDate)}</td>
              <td><ItemStatusBadge status={item.status} /></td>
              <td className="table__actions">
                {canWrite && open && (
                  <button type="button" className="button button--ghost" aria-label={t.payments.batches.removeLabel(item.clientName)}
                    disabled={remove.isPending || b.itemCount <= 1} title={b.itemCount <= 1 ? t.payments.batches.lastItem : undefined} onClick={() => take(item)}>
                    {t.payments.batches.remove}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {b.excluded.length > 0 && (
        <>
          <h2>{t.payments.batches.excludedTitle}</h2>
          <ExcludedTable rows={b.excluded} />
        </>
      )}
    </section>
  );
}

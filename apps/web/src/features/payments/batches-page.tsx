import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { BatchStatusBadge } from './payment-badges.tsx';
import { LoadMore } from './load-more.tsx';
import { downloadBatchFile } from './payment-files.ts';
import { useDialogs } from '../../components/confirm-dialog.tsx';

interface Excluded {
  id: string;
  clientId: string;
  clientName: string;
  contractId: string;
  contractNumber: string;
  dueDate: string;
  amountCents: number;
  reasons: string[];
}

/** The debits a batch leaves (or left) out, and why: the bank would refuse them. */
function ExcludedTable({ rows }: { rows: Excluded[] }) {
  return (
    <div className="table-wrap"><table className="table" aria-label={t.payments.batches.excludedTitle}>
      <thead><tr><th>{t.payments.dueDate}</th><th>{t.payments.client}</th><th>{t.payments.contract}</th><th>{t.payments.amount}</th><th>{t.payments.batches.reasons}</th></tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{formatDate(row.dueDate)}</td>
            <td><Link to={`/clients/${row.clientId}`}>{row.clientName}</Link></td>
            <td><Link to={`/contrats/${row.contractId}`}>{row.contractNumber}</Link></td>
            <td>{formatEur(row.amountCents)}</td>
            <td>{row.reasons.join(' ; ')}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

/** A built batch's exclusions, read when opened. */
function BatchExclusions({ batchId, count }: { batchId: string; count: number }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const batch = useQuery({ ...trpc.batches.get.queryOptions({ batchId }), enabled: open });
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t.payments.batches.excluded(count)}</summary>
      {batch.data && <ExcludedTable rows={batch.data.excluded} />}
    </details>
  );
}

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Prélèvements: prepare a batch for a collection date (with its preview), then download, mark sent or cancel. */
export function BatchesPage() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  const [collectionDate, setCollectionDate] = useState('');
  const [scheme, setScheme] = useState<'CORE' | 'B2B'>('CORE');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const batches = useInfiniteQuery(trpc.batches.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const rows = batches.data?.pages.flatMap((page) => page.items);
  const preview = useQuery({ ...trpc.batches.preview.queryOptions({ collectionDate, scheme }), enabled: isDate(collectionDate), retry: false });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.batches.pathKey() });
  const build = useMutation(trpc.batches.build.mutationOptions({ onSuccess: refresh }));
  const markSent = useMutation(trpc.batches.markSent.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.batches.cancel.mutationOptions({ onSuccess: refresh }));
  const errors = { ...fieldErrorsOf(preview.error), ...fieldErrorsOf(build.error) };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    build.mutate({ collectionDate, scheme });
  };
  const download = (batchId: string) => {
    setDownloadError(null);
    downloadBatchFile(batchId).catch((error: unknown) => setDownloadError(error instanceof Error ? error.message : t.app.error));
  };
  return (
    <section className="stack">
      <h1>{t.payments.batches.title}</h1>
      {canWrite && (
        <form className="card inline-form" onSubmit={submit} noValidate aria-label={t.payments.batches.build}>
          <h2>{t.payments.batches.build}</h2>
          <FormMessage error={Object.keys(errors).length ? null : messageOf(build.error)} />
          <div className="grid">
            <TextField label={t.payments.batches.collectionDate} name="collectionDate" type="date" errors={errors} value={collectionDate} onChange={(e) => setCollectionDate(e.target.value)} />
            <SelectField label={t.payments.batches.scheme} name="scheme" errors={errors} value={scheme} onChange={(e) => setScheme(e.target.value as 'CORE' | 'B2B')}
              options={[{ value: 'CORE', label: 'CORE' }, { value: 'B2B', label: 'B2B' }]} />
          </div>
          {preview.data && (
            <div role="status">
              <p>{t.payments.batches.preview(preview.data.itemCount, formatEur(preview.data.totalCents))}</p>
              {preview.data.tooLateForPreNotification.count > 0 && (
                <p className="muted">{t.payments.batches.tooLate(preview.data.tooLateForPreNotification.count, formatEur(preview.data.tooLateForPreNotification.totalCents))}</p>
              )}
              {preview.data.excluded.length > 0 && (
                <>
                  <p className="notice notice--error">
                    {t.payments.batches.excludedPreview(preview.data.excluded.length, formatEur(preview.data.excluded.reduce((sum, e) => sum + e.amountCents, 0)))}
                  </p>
                  <ExcludedTable rows={preview.data.excluded} />
                </>
              )}
            </div>
          )}
          <div className="actions">
            <button className="button button--primary" type="submit" disabled={build.isPending || !preview.data || preview.data.itemCount === 0}>{t.payments.batches.create}</button>
          </div>
        </form>
      )}
      <FormMessage error={downloadError ?? messageOf(markSent.error ?? cancel.error)} />
      <div className="table-wrap"><table className="table">
        <thead>
          <tr>
            <th>{t.payments.batches.number}</th><th>{t.payments.batches.collectionDate}</th><th>{t.payments.batches.messageId}</th><th>{t.payments.batches.items}</th>
            <th>{t.payments.batches.total}</th><th>{t.payments.batches.format}</th><th>{t.payments.status}</th><th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={8} className="muted">{t.payments.batches.empty}</td></tr>}
          {rows?.map((b) => (
            <tr key={b.id}>
              <td>{b.number}</td>
              <td>{formatDate(b.collectionDate)}</td>
              <td><code>{b.messageId}</code><br /><span className="muted">{formatDateTime(b.createdAt)}</span></td>
              <td>{b.itemCount}{b.excludedCount > 0 && <BatchExclusions batchId={b.id} count={b.excludedCount} />}</td>
              <td>{formatEur(b.totalCents)}</td>
              <td>{b.format}</td>
              <td><BatchStatusBadge status={b.status} /></td>
              <td className="table__actions">
                {canWrite && b.status !== 'cancelled' && <button type="button" className="button button--ghost" onClick={() => download(b.id)}>{t.payments.batches.download}</button>}
                {canWrite && b.status === 'generated' && (
                  <>
                    <button type="button" className="button" onClick={() => void confirm({ title: t.payments.batches.confirmSent, confirmLabel: t.payments.batches.markSent }).then((ok) => ok && markSent.mutate({ batchId: b.id }))}>{t.payments.batches.markSent}</button>
                    <button type="button" className="button button--danger" onClick={() => void confirm({ title: t.payments.batches.confirmCancel, confirmLabel: t.payments.batches.cancel, danger: true }).then((ok) => ok && cancel.mutate({ batchId: b.id }))}>{t.payments.batches.cancel}</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={batches} />
    </section>
  );
}

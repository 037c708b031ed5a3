import { parisDay, proposeCollectionDate, longFrenchDate } from '@crm/domain/browser';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { useBatchActions } from './batch-actions.tsx';
import { BatchStatusBadge } from './payment-badges.tsx';
import { LoadMore } from './load-more.tsx';
import { downloadBatchFile } from './payment-files.ts';

export interface Excluded {
  id: string;
  clientId: string;
  clientName: string;
  contractId: string;
  contractNumber: string;
  dueDate: string;
  amountCents: number;
  reasons: string[];
}

/** Debits a batch leaves (or left) out, and why: not pre-notified in time, or the bank would refuse them. */
export function ExcludedTable({ rows, label = t.payments.batches.excludedTitle }: { rows: Excluded[]; label?: string }) {
  return (
    <div className="table-wrap"><table className="table" aria-label={label}>
      <thead><tr><th>{t.payments.client}</th><th>{t.payments.dueDate}</th><th>{t.payments.contract}</th><th>{t.payments.amount}</th><th>{t.payments.batches.reasons}</th></tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td><Link to={`/clients/${row.clientId}`}>{row.clientName}</Link></td>
            <td>{formatDate(row.dueDate)}</td>
            <td><Link to={`/contrats/${row.contractId}`}>{row.contractNumber}</Link></td>
            <td>{formatEur(row.amountCents)}</td>
            <td>{row.reasons.join(' ; ')}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const sum = (rows: { amountCents: number }[]) => rows.reduce((total, row) => total + row.amountCents, 0);

/** Prélèvements: prepare a batch for a collection date (proposed, with its preview), then open, download, mark sent or cancel. */
export function BatchesPage() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  // The next day the bank can take, said in words; the person may choose a later one.
  const [proposal] = useState(() => proposeCollectionDate(parisDay(new Date())));
  const [collectionDate, setCollectionDate] = useState(proposal.date);
  const [scheme, setScheme] = useState<'CORE' | 'B2B'>('CORE');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const batches = useInfiniteQuery(trpc.batches.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const rows = batches.data?.pages.flatMap((page) => page.items);
  const preview = useQuery({ ...trpc.batches.preview.queryOptions({ collectionDate, scheme }), enabled: canWrite && isDate(collectionDate), retry: false });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.batches.pathKey() });
  const build = useMutation(trpc.batches.build.mutationOptions({ onSuccess: refresh }));
  const actions = useBatchActions();
  const errors = { ...fieldErrorsOf(preview.error), ...fieldErrorsOf(build.error) };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!preview.data) return;
    void confirm({
      title: t.payments.batches.confirmCreate(longFrenchDate(collectionDate)),
      message: t.payments.batches.confirmCreateMessage(preview.data.itemCount, formatEur(preview.data.totalCents)),
      confirmLabel: t.payments.batches.create,
    }).then((ok) => ok && build.mutate({ collectionDate, scheme }));
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
          <p className="muted" data-testid="collection-date-advice">{proposal.explanation}</p>
          {preview.data && (
            <div role="status">
              <p>{t.payments.batches.preview(preview.data.itemCount, formatEur(preview.data.totalCents))}</p>
              {preview.data.tooLateForPreNotification.count > 0 && (
                <p className="muted">{t.payments.batches.tooLate(preview.data.tooLateForPreNotification.count, formatEur(preview.data.tooLateForPreNotification.totalCents))}</p>
              )}
              {preview.data.notNotified.length > 0 && (
                <>
                  <p className="notice notice--error">{t.payments.batches.notNotifiedPreview(preview.data.notNotified.length, formatEur(sum(preview.data.notNotified)))}</p>
                  <ExcludedTable rows={preview.data.notNotified} label={t.payments.batches.notNotifiedTitle} />
                </>
              )}
              {preview.data.excluded.length > 0 && (
                <>
                  <p className="notice notice--error">{t.payments.batches.excludedPreview(preview.data.excluded.length, formatEur(sum(preview.data.excluded)))}</p>
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
      <FormMessage error={downloadError ?? messageOf(actions.error)} />
      <div className="table-wrap"><table className="table table--clickable">
        <thead>
          <tr>
            <th>{t.payments.batches.number}</th><th>{t.payments.batches.collectionDate}</th><th>{t.payments.batches.items}</th>
            <th>{t.payments.batches.total}</th><th>{t.payments.status}</th><th>{t.payments.batches.messageId}</th><th>{t.payments.batches.format}</th><th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={8} className="muted">{t.payments.batches.empty}</td></tr>}
          {rows?.map((b) => (
            <tr key={b.id} onClick={(e) => { if (!(e.target as HTMLElement).closest('a, button')) void navigate(`/prelevements/${b.id}`); }}>
              <td><Link to={`/prelevements/${b.id}`} aria-label={t.payments.batches.open(b.number)}>{b.number}</Link></td>
              <td>{formatDate(b.collectionDate)}</td>
              <td>{b.itemCount}{b.excludedCount > 0 && <span className="muted"> ({t.payments.batches.excluded(b.excludedCount)})</span>}</td>
              <td>{formatEur(b.totalCents)}</td>
              <td><BatchStatusBadge status={b.status} /></td>
              <td><code>{b.messageId}</code><br /><span className="muted">{formatDateTime(b.createdAt)}</span></td>
              <td>{b.format}</td>
              <td className="table__actions">
                {canWrite && b.status !== 'cancelled' && <button type="button" className="button button--ghost" onClick={() => download(b.id)}>{t.payments.batches.download}</button>}
                {canWrite && b.status === 'generated' && (
                  <>
                    <button type="button" className="button" onClick={() => actions.markSent(b)}>{t.payments.batches.markSent}</button>
                    <button type="button" className="button button--danger" onClick={() => actions.cancel(b)}>{t.payments.batches.cancel}</button>
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

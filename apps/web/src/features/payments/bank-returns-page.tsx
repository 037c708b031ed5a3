import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from './load-more.tsx';
import { uploadBankReturns, type ReturnFileReport } from './payment-files.ts';

/** Retours bancaires: drop a pain.002 / camt.054 / CSV file, see what it matched; earlier imports below. */
export function BankReturnsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('payments.write');
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const files = useInfiniteQuery(trpc.payments.returnFiles.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const rows = files.data?.pages.flatMap((page) => page.items);
  const upload = useMutation({
    mutationFn: uploadBankReturns,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() }),
  });
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) upload.mutate(file);
  };
  return (
    <section className="stack">
      <h1>{t.payments.returns.title}</h1>
      {canWrite && (
        <div
          className={`dropzone${dragging ? ' dropzone--active' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>{upload.isPending ? t.payments.returns.importing : t.payments.returns.drop}</p>
          <button type="button" className="button" onClick={() => input.current?.click()} disabled={upload.isPending}>{t.payments.returns.choose}</button>
          <input
            ref={input}
            type="file"
            hidden
            accept=".xml,.csv,.txt,application/xml,text/xml,text/csv"
            aria-label={t.payments.returns.choose}
            onChange={(e) => { const file = e.target.files?.[0]; if (file) upload.mutate(file); e.target.value = ''; }}
          />
        </div>
      )}
      <FormMessage error={upload.error ? upload.error.message : null} />
      {upload.data && <ReturnReportCard report={upload.data} />}
      <h2>{t.payments.returns.history}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.payments.returns.fileName}</th><th>{t.payments.returns.kind}</th><th>{t.payments.returns.importedAt}</th><th>{t.payments.list.outcome}</th></tr></thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={4} className="muted">{t.payments.returns.empty}</td></tr>}
          {rows?.map((f) => (
            <tr key={f.id}>
              <td>{f.fileName}</td>
              <td>{f.kind}</td>
              <td>{formatDateTime(f.createdAt)}</td>
              <td>{t.payments.returns.report(f.matched, f.report.rejected, f.report.settled)}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={files} />
    </section>
  );
}

export function ReturnReportCard({ report }: { report: ReturnFileReport }) {
  const r = report.report;
  return (
    <div className="card stack" role="status" aria-label={report.fileName}>
      <h2>{report.fileName} <span className="muted">({report.kind})</span></h2>
      {report.duplicate && <p className="notice notice--warning">{t.payments.returns.duplicate}</p>}
      <p>{t.payments.returns.report(report.matched, r.rejected, r.settled)}</p>
      {r.unmatched.length > 0 && (
        <>
          <h3>{t.payments.returns.unmatched} ({r.unmatched.length})</h3>
          <div className="table-wrap"><table className="table">
            <thead><tr><th>{t.payments.returns.endToEndId}</th><th>{t.payments.status}</th><th>{t.payments.reasonCode}</th><th>{t.payments.returns.why}</th></tr></thead>
            <tbody>
              {r.unmatched.map((line, i) => (
                <tr key={i}><td><code>{line.endToEndId}</code></td><td>{t.payments.returnStatuses[line.status]}</td><td>{line.reasonCode ?? ''}</td><td>{line.why}</td></tr>
              ))}
            </tbody>
          </table></div>
        </>
      )}
      {r.problems.length > 0 && (
        <>
          <h3>{t.payments.returns.problems}</h3>
          <ul>{r.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
        </>
      )}
    </div>
  );
}

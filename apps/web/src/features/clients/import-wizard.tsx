import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { previewImportRow } from '@crm/domain/browser';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { sessionToken } from '../../lib/session-token.ts';
import { useTRPC } from '../../trpc.ts';

type Mapping = RouterInputs['clientImports']['dryRun']['mapping'];
type Field = NonNullable<Mapping[number]>;
type Policy = RouterInputs['clientImports']['dryRun']['duplicatePolicy'];
type Report = RouterOutputs['clientImports']['dryRun'];

interface Uploaded {
  id: string;
  fileName: string;
  encoding: 'utf-8' | 'windows-1252';
  delimiter: ';' | ',';
  headers: string[];
  suggestedMapping: Mapping;
  preview: string[][];
  totalRows: number;
}

/** POST /imports/clients with the file's bytes (the encoding is detected on them, server side). */
async function uploadFile(file: File): Promise<Uploaded> {
  const response = await fetch(`/imports/clients?fileName=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionToken.get() ?? ''}`, 'content-type': 'text/csv' },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as (Uploaded & { error?: { message: string } }) | null;
  if (!response.ok || !body) throw new Error(body?.error?.message ?? t.app.error);
  return body;
}

function ErrorsTable({ errors }: { errors: Report['errors'] }) {
  if (errors.length === 0) return null;
  return (
    <div className="table-wrap"><table className="table" aria-label={t.clientImport.errorsTitle}>
      <thead>
        <tr><th>{t.clientImport.row}</th><th>{t.clientImport.column}</th><th>{t.clientImport.message}</th></tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={i}>
            <td>{e.row}</td>
            <td>{e.column ?? (e.field ? t.clientImport.fields[e.field] : '')}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

/** Follows a started import: polls `get` every 500 ms until it succeeds or fails. */
function ImportProgress({ importId }: { importId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.clientImports.get.queryOptions(
      { importId },
      { refetchInterval: (q) => (q.state.data && ['succeeded', 'failed'].includes(q.state.data.status) ? false : 500) },
    ),
  );
  const job = query.data;
  if (!job) return <p className="muted">{t.app.loading}</p>;
  const done = job.status === 'succeeded';
  return (
    <div className="card stack" aria-live="polite">
      <h2>{t.clientImport.statuses[job.status]}</h2>
      <progress className="import-progress" max={Math.max(job.validRows, 1)} value={done ? job.validRows : job.processedRows} aria-label={t.clientImport.progress} />
      <p>{t.clientImport.processed(job.processedRows, job.validRows)}</p>
      {done && <p role="status">{t.clientImport.result(job.insertedRows, job.updatedRows, job.skippedRows, job.insertedContacts)}</p>}
      {job.status === 'failed' && <FormMessage error={job.failure ?? t.app.error} />}
      {done && job.errors.length > 0 && (
        <>
          <h3>{t.clientImport.errorsTitle}</h3>
          <ErrorsTable errors={job.errors} />
        </>
      )}
      {(done || job.status === 'failed') && <Link className="button button--primary" to="/clients">{t.clientImport.backToClients}</Link>}
    </div>
  );
}

export function ImportWizard() {
  const trpc = useTRPC();
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [mapping, setMapping] = useState<Mapping>([]);
  const [policy, setPolicy] = useState<Policy>('skip');
  const [report, setReport] = useState<Report | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: uploadFile,
    onSuccess: (result) => {
      setUploaded(result);
      setMapping(result.suggestedMapping);
      setReport(null);
    },
  });
  const dryRun = useMutation(trpc.clientImports.dryRun.mutationOptions({ onSuccess: setReport }));
  const start = useMutation(trpc.clientImports.start.mutationOptions({ onSuccess: (r) => setStarted(r.importId) }));
  const choose = (file: File | undefined) => {
    if (!file) return;
    setUploaded(null);
    upload.mutate(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    choose(event.dataTransfer.files[0]);
  };
  const remap = (index: number, field: Field | null) => {
    setMapping(mapping.map((f, i) => (i === index ? field : f === field ? null : f)));
    setReport(null);
  };

  if (started) {
    return (
      <section className="stack">
        <h1>{t.clientImport.title}</h1>
        <ImportProgress importId={started} />
      </section>
    );
  }
  const mappingErrors = fieldErrorsOf(dryRun.error).mapping;
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.clientImport.title}</h1>
        <Link className="button button--ghost" to="/clients">{t.clientImport.backToClients}</Link>
      </div>

      <div className="card stack import-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <label className="field">
          <span>{t.clientImport.file}</span>
          <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => choose(e.target.files?.[0])} />
        </label>
        <p className="muted">{t.clientImport.fileHint}</p>
        {upload.isPending && <p className="muted">{t.clientImport.uploading}</p>}
        <FormMessage error={upload.error ? upload.error.message : null} />
      </div>

      {uploaded && (
        <div className="card stack">
          <p>
            {t.clientImport.detected(uploaded.fileName, uploaded.totalRows)}{' '}
            <strong>{t.clientImport.encodings[uploaded.encoding]}</strong>, {t.clientImport.separator}{' '}
            <strong>{t.clientImport.delimiters[uploaded.delimiter]}</strong>
          </p>
          <h2>{t.clientImport.mappingTitle}</h2>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  {uploaded.headers.map((header, i) => (
                    <th key={i}>
                      <div>{header || t.clientImport.untitled(i + 1)}</div>
                      <select aria-label={t.clientImport.mapColumn(header || String(i + 1))} value={mapping[i] ?? ''} onChange={(e) => remap(i, (e.target.value || null) as Field | null)}>
                        <option value="">{t.clientImport.ignore}</option>
                        {(Object.keys(t.clientImport.fields) as Field[]).map((f) => (
                          <option key={f} value={f}>{t.clientImport.fields[f]}</option>
                        ))}
                      </select>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {uploaded.preview.map((row, r) => (
                  <tr key={r}>{row.map((cell, c) => <td key={c}>{cell}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t.clientImport.importedAs}</h3>
          <p className="muted">{t.clientImport.companyRule}</p>
          <div className="table-scroll">
            <table className="table" aria-label={t.clientImport.importedAs}>
              <tbody>
                {uploaded.preview.map((row, r) => {
                  const made = previewImportRow(mapping, row);
                  return (
                    <tr key={r}>
                      <td>{t.clientImport.row} {r + 2}</td>
                      <td>{made.kind === 'company' ? t.clientImport.asCompany(made.contact) : made.kind === 'person' ? t.clientImport.asPerson : made.kind}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {mappingErrors?.map((m) => <p key={m} className="field__error">{m}</p>)}
          <label className="field">
            <span>{t.clientImport.policy}</span>
            <select value={policy} onChange={(e) => { setPolicy(e.target.value as Policy); setReport(null); }}>
              {(Object.keys(t.clientImport.policies) as Policy[]).map((p) => <option key={p} value={p}>{t.clientImport.policies[p]}</option>)}
            </select>
          </label>
          <div className="actions">
            <button type="button" className="button button--ghost" disabled={dryRun.isPending} onClick={() => dryRun.mutate({ importId: uploaded.id, mapping, duplicatePolicy: policy })}>
              {t.clientImport.dryRun}
            </button>
          </div>
          {!mappingErrors && <FormMessage error={dryRun.error ? messageOf(dryRun.error) : null} />}
        </div>
      )}

      {uploaded && report && (
        <div className="card stack">
          <h2>{t.clientImport.reportTitle}</h2>
          <p role="status">{t.clientImport.report(report.validRows, report.invalidRows, report.toInsert, report.toUpdate, report.toSkip, report.contacts)}</p>
          <ErrorsTable errors={report.errors} />
          <FormMessage error={start.error ? messageOf(start.error) : null} />
          <div className="actions">
            <button type="button" className="button button--primary" disabled={start.isPending || report.validRows === 0} onClick={() => start.mutate({ importId: uploaded.id })}>
              {t.clientImport.start(report.toInsert + report.toUpdate)}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

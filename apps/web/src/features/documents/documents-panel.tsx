import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type DragEvent } from 'react';
import { FormMessage, SelectField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf, type FieldErrors } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { sessionToken } from '../../lib/session-token.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { SendByPost } from '../letters/send-by-post.tsx';

type DocumentRow = RouterOutputs['documents']['list'][number];
type Kind = keyof typeof t.documents.kinds;
const UPLOADABLE: Kind[] = ['identity', 'bank_details', 'other']; // the signed contract is stored by the signature itself

const size = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
export const formatBytes = (bytes: number): string =>
  bytes < 1024 ? `${bytes} o` : bytes < 1024 * 1024 ? `${size.format(bytes / 1024)} Ko` : `${size.format(bytes / (1024 * 1024))} Mo`;

/** The answer of POST /documents when it is not 201: the API's French message and field errors. */
class UploadError extends Error {
  readonly fieldErrors: FieldErrors;
  constructor(message: string, fieldErrors: FieldErrors = {}) {
    super(message);
    this.fieldErrors = fieldErrors;
  }
}

/** Raw bytes to POST /documents (not tRPC: a file is not JSON), the token in the header. */
async function uploadFile(target: { clientId?: string; contractId?: string }, kind: Kind, file: File): Promise<DocumentRow> {
  const params = new URLSearchParams({ kind, ...(target.contractId ? { contractId: target.contractId } : { clientId: target.clientId ?? '' }) });
  const response = await fetch(`/documents?${params}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionToken.get() ?? ''}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; fieldErrors?: FieldErrors } } | DocumentRow | null;
  if (!response.ok) {
    const error = body && 'error' in body ? body.error : undefined;
    throw new UploadError(error?.message ?? t.app.error, error?.fieldErrors);
  }
  return body as DocumentRow;
}

/** Fetches with the bearer token (a plain link cannot send it), then saves the blob under the server's name. */
export async function downloadFile(document: { id: string; fileName: string }) {
  const response = await fetch(`/documents/${document.id}/download`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) throw new Error(t.documents.downloadFailed);
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(window.document.createElement('a'), { href: url, download: encoded ? decodeURIComponent(encoded) : document.fileName });
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * A client's documents (its own and its contracts') or a contract's: list, download, upload by
 * choosing or dropping a file, delete. For the client page and the contract page.
 */
export function DocumentsPanel({ clientId, contractId }: { clientId?: string; contractId?: string }) {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('documents.write');
  const canPost = useCan('letters.write');
  const [posting, setPosting] = useState<string | null>(null);
  const input = contractId ? { contractId } : { clientId: clientId ?? '' };
  const documents = useQuery(trpc.documents.list.queryOptions(input));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.documents.pathKey() });
  const [kind, setKind] = useState<Kind>('identity');
  const [dragging, setDragging] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const fileInputId = useId();
  const upload = useMutation({ mutationFn: (file: File) => uploadFile({ clientId, contractId }, kind, file), onSuccess: refresh });
  const remove = useMutation(trpc.documents.delete.mutationOptions({ onSuccess: refresh }));
  const fieldErrors = upload.error instanceof UploadError ? upload.error.fieldErrors : {};
  const send = (file: File | undefined) => {
    if (file) upload.mutate(file);
    if (fileInput.current) fileInput.current.value = '';
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    send(event.dataTransfer.files[0]);
  };
  const rows = documents.data ?? [];
  return (
    <section className="card" aria-labelledby="documents-title">
      <h2 id="documents-title">{t.documents.title}</h2>
      <FormMessage error={messageOf(documents.error ?? remove.error) ?? downloadError} />
      {documents.isSuccess && rows.length === 0 && <p className="muted">{t.documents.empty}</p>}
      {rows.length > 0 && (
        <div className="table-wrap"><table className="table">
          <thead>
            <tr>
              <th>{t.documents.kind}</th>
              <th>{t.documents.name}</th>
              <th>{t.documents.size}</th>
              <th>{t.documents.date}</th>
              <th>{t.documents.fingerprint}</th>
              <th className="table__actions" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  {t.documents.kinds[d.kind]}
                  {d.contractNumber && !contractId && <span className="muted"> · {t.documents.contract} {d.contractNumber}</span>}
                </td>
                <td>{d.fileName}</td>
                <td>{formatBytes(d.sizeBytes)}</td>
                <td>
                  {formatDate(d.createdAt)}
                  {d.createdByName && <span className="muted"> · {d.createdByName}</span>}
                </td>
                <td><code title={d.sha256}>{d.sha256.slice(0, 12)}…</code></td>
                <td className="table__actions">
                  <button
                    type="button"
                    className="button button--ghost"
                    onClick={() => {
                      setDownloadError(null);
                      downloadFile(d).catch((error: unknown) => setDownloadError(error instanceof Error ? error.message : t.app.error));
                    }}
                  >
                    {t.documents.download}
                  </button>{' '}
                  {canWrite && d.deletable && (
                    <button
                      type="button"
                      className="button button--danger"
                      disabled={remove.isPending}
                      onClick={() => void confirm({ title: t.documents.confirmDelete(d.fileName), confirmLabel: t.documents.delete, danger: true }).then((ok) => ok && remove.mutate({ documentId: d.id }))}
                    >
                      {t.documents.delete}
                    </button>
                  )}
                  {!d.deletable && <span className="muted">{t.documents.kept}</span>}{' '}
                  {canPost && d.mimeType === 'application/pdf' && d.kind !== 'letter_proof' && (
                    <button type="button" className="button button--ghost" aria-expanded={posting === d.id} onClick={() => setPosting(posting === d.id ? null : d.id)}>
                      {t.letters.sendByPost}
                    </button>
                  )}
                  {posting === d.id && <SendByPost key={d.id} documentId={d.id} fileName={d.fileName} onClose={() => setPosting(null)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {canWrite && (
        <div className="documents-upload">
          <h3>{t.documents.upload}</h3>
          <SelectField
            label={t.documents.kind}
            name="kind"
            errors={fieldErrors}
            value={kind}
            onChange={(event) => setKind(event.target.value as Kind)}
            options={UPLOADABLE.map((k) => ({ value: k, label: t.documents.kinds[k] }))}
          />
          <div
            className={dragging ? 'dropzone dropzone--active' : 'dropzone'}
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p className="muted">{upload.isPending ? t.documents.uploading : t.documents.drop}</p>
            <label className="button button--ghost" htmlFor={fileInputId}>{t.documents.choose}</label>
            <input
              id={fileInputId}
              ref={fileInput}
              type="file"
              className="visually-hidden"
              accept="application/pdf,image/png,image/jpeg,image/webp"
              disabled={upload.isPending}
              onChange={(event) => send(event.target.files?.[0])}
            />
          </div>
          {fieldErrors.file?.map((message) => <small key={message} className="field__error" role="alert">{message}</small>)}
          <FormMessage
            error={upload.error && !fieldErrors.file ? upload.error.message : null}
            success={upload.isSuccess ? t.documents.uploaded(upload.data.fileName) : null}
          />
        </div>
      )}
    </section>
  );
}

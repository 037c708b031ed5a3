import type { RouterOutputs } from '@crm/trpc';
import { t } from '../../i18n/fr.ts';
import { sessionToken } from '../../lib/session-token.ts';

export type ReturnFileReport = RouterOutputs['payments']['returnFile'] & { duplicate?: boolean };

/** GET /batches/:id/file: the batch's pain.008, saved under the name the API gives. */
export async function downloadBatchFile(batchId: string): Promise<void> {
  const response = await fetch(`/batches/${batchId}/file`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message: string } } | null;
    throw new Error(body?.error?.message ?? t.app.error);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'prelevements.xml',
  });
  link.click();
  URL.revokeObjectURL(url);
}

/** POST /bank-returns with the file's raw bytes; the answer is the import's report. */
export async function uploadBankReturns(file: File): Promise<ReturnFileReport> {
  const response = await fetch(`/bank-returns?fileName=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionToken.get() ?? ''}`, 'content-type': 'application/octet-stream' },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as (ReturnFileReport & { error?: { message: string } }) | null;
  if (!response.ok || !body) throw new Error(body?.error?.message ?? t.app.error);
  return body;
}

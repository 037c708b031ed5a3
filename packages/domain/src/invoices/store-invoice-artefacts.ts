import { afterRollback, newId, type Tx } from '@crm/db';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { documentStorageKey } from '../documents/document-storage.ts';
import { invoiceArtefacts } from './invoice-artefacts.ts';
import type { InvoiceDocument } from './invoice-document.ts';

const KIND = { pdf: 'invoice_pdf', xml: 'invoice_xml', json: 'invoice_json' } as const;

/**
 * Renders an issued invoice's snapshot and keeps every file it gives (JSON today, the PDF and the
 * Factur-X XML too once rendered) as documents of the invoice with their sha256, in the issuing
 * transaction: the bytes are written first and removed if the transaction rolls back. These
 * kinds are never deleted (C. com. L123-22: ten years).
 */
export async function storeInvoiceArtefacts(
  ctx: { tx: Tx; tenantId: string; now: Date; storage: DocumentStorage; createdBy: string | null },
  invoice: { id: string; clientId: string; contractId: string | null },
  doc: InvoiceDocument,
) {
  const artefacts = await invoiceArtefacts(doc);
  const files = artefacts.map((artefact) => {
    const id = newId();
    return { id, artefact, storageKey: documentStorageKey(ctx.tenantId, id, ctx.now) };
  });
  // Removed if the transaction rolls back, registered before any write (a delete of a file never
  // written is a no-op). The files are written side by side, each synced, while the transaction
  // goes on with its statements: the caller awaits `written` before it commits.
  for (const file of files) afterRollback(ctx.tx, () => ctx.storage.delete(file.storageKey));
  const writing = Promise.all(files.map((file) => ctx.storage.put(file.storageKey, file.artefact.bytes)));
  writing.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
  await ctx.tx.document.createMany({
    data: files.map(({ id, artefact, storageKey }) => ({
      id,
      tenantId: ctx.tenantId,
      clientId: invoice.clientId,
      contractId: invoice.contractId,
      invoiceId: invoice.id,
      kind: KIND[artefact.kind],
      fileName: artefact.fileName,
      mimeType: artefact.mimeType,
      sizeBytes: artefact.bytes.byteLength,
      sha256: artefact.sha256,
      storageKey,
      createdBy: ctx.createdBy,
      createdAt: ctx.now,
    })),
  });
  const stored = files.map(({ id, artefact }) => ({ id, kind: artefact.kind, sha256: artefact.sha256 }));
  return { stored, written: writing.then(() => undefined) };
}

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
  const stored: { id: string; kind: string; sha256: string }[] = [];
  for (const artefact of artefacts) {
    const id = newId();
    const storageKey = documentStorageKey(ctx.tenantId, id, ctx.now);
    await ctx.storage.put(storageKey, artefact.bytes);
    afterRollback(ctx.tx, () => ctx.storage.delete(storageKey));
    await ctx.tx.document.create({
      data: {
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
      },
    });
    stored.push({ id, kind: artefact.kind, sha256: artefact.sha256 });
  }
  return stored;
}

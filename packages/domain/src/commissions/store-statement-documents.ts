import type { Tx } from '@crm/db';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { storeRepDocument } from '../documents/upload-document.ts';
import { statementDocument } from './statement-document.ts';
import { renderSelfBillingPdf, renderStatementPdf } from './statement-pdf.ts';

export const STATEMENT_MAX_BYTES = 10_000_000;

/**
 * Renders and stores the PDFs of issued statements that have none yet (the statement, and an
 * agent's self-billing invoice), as documents of the rep. Run by issuance for a few statements and
 * by the daily job for the rest; the statement froze what they show, so a late render is the same.
 */
export async function storeStatementDocuments(
  deps: { tx: Tx; tenantId: string; now: Date; storage: DocumentStorage; createdBy: string | null },
  options: { statementIds?: string[]; limit?: number } = {},
): Promise<number> {
  const { tx, tenantId } = deps;
  const pending = await tx.commissionStatement.findMany({
    where: {
      tenantId,
      ...(options.statementIds ? { id: { in: options.statementIds } } : {}),
      OR: [{ documentId: null }, { selfBillingNumber: { not: null }, selfBillingDocumentId: null }],
    },
    orderBy: [{ month: 'asc' }, { number: 'asc' }],
    take: options.limit ?? 200,
    select: { id: true },
  });
  const store = { ...deps, maxBytes: STATEMENT_MAX_BYTES };
  for (const { id } of pending) {
    const doc = await statementDocument(tx, tenantId, id);
    const current = await tx.commissionStatement.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id } }, select: { documentId: true, selfBillingDocumentId: true } });
    const data: { documentId?: string; selfBillingDocumentId?: string } = {};
    if (!current.documentId) {
      const stored = await storeRepDocument(store, { salesRepId: doc.rep.id, kind: 'commission_statement', fileName: `releve-${doc.number}.pdf`, bytes: await renderStatementPdf(doc) });
      data.documentId = stored.id;
    }
    if (doc.selfBillingNumber && !current.selfBillingDocumentId) {
      const stored = await storeRepDocument(store, { salesRepId: doc.rep.id, kind: 'commission_self_billing', fileName: `autofacture-${doc.selfBillingNumber}.pdf`, bytes: await renderSelfBillingPdf(doc) });
      data.selfBillingDocumentId = stored.id;
    }
    await tx.commissionStatement.update({ where: { tenantId_id: { tenantId, id } }, data });
  }
  return pending.length;
}

import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { DOCUMENT_COLUMNS, loadDocumentTarget, toDocumentViews, type DocumentView } from './document-view.ts';
import type { TListDocumentsInput } from './documents.schema.ts';

const MAX_LISTED = 500;

/** A contract's documents, or a client's: its own and its contracts', newest first. */
export async function listDocuments(deps: TenantDeps, input: TListDocumentsInput): Promise<DocumentView[]> {
  const target = await loadDocumentTarget(deps, input);
  const where: Prisma.DocumentWhereInput = target.contractId
    ? { tenantId: deps.actor.tenantId, contractId: target.contractId }
    : { tenantId: deps.actor.tenantId, OR: [{ clientId: target.clientId }, { contract: { clientId: target.clientId } }] };
  const rows = await deps.tx.document.findMany({ where, select: DOCUMENT_COLUMNS, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: MAX_LISTED });
  return toDocumentViews(deps.tx, deps.actor.tenantId, rows);
}

import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { loadDraftForUpdate } from './invoice-view.ts';
import type { TInvoiceIdInput } from './invoices.schema.ts';

/**
 * Deletes a draft (it has no number, so no gap): its lines go with it, and its schedule items
 * are free to be invoiced again. An issued invoice answers CONFLICT: it is kept ten years.
 */
export async function deleteInvoiceDraft(deps: TenantDeps, input: TInvoiceIdInput) {
  const { tx, actor } = deps;
  const draft = await loadDraftForUpdate(deps, input.invoiceId);
  await tx.invoice.delete({ where: { tenantId_id: { tenantId: actor.tenantId, id: draft.id } } });
  await auditAs(tx, actor, { action: 'invoice.draft_deleted', entityType: 'invoice', entityId: draft.id, data: { clientId: draft.clientId, grossCents: draft.grossCents } });
  return { id: draft.id };
}

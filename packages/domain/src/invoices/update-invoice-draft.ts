import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { manualLines, writeDraftLines } from './invoice-lines.ts';
import { loadDraftForUpdate, loadInvoice, toInvoiceView } from './invoice-view.ts';
import type { TUpdateInvoiceDraftInput } from './invoices.schema.ts';

const dayOrNull = (value: string | null | undefined) => (value ? new Date(`${value}T00:00:00Z`) : null);

/**
 * Changes a draft: its lines (replaced whole, totals recomputed), dates, purchase order or
 * payment method. An issued invoice answers CONFLICT: it is corrected by a credit note only.
 */
export async function updateInvoiceDraft(deps: TenantDeps, input: TUpdateInvoiceDraftInput) {
  const { tx, actor, now } = deps;
  const draft = await loadDraftForUpdate(deps, input.invoiceId);
  if (input.lines && draft.scheduleLinks.length > 0) {
    throw badRequest('Les lignes d’une facture d’échéancier viennent du contrat', { lines: ['Lignes non modifiables : elles viennent de l’échéancier du contrat'] });
  }
  const periodStart = input.periodStart === undefined ? draft.periodStart : dayOrNull(input.periodStart);
  const periodEnd = input.periodEnd === undefined ? draft.periodEnd : dayOrNull(input.periodEnd);
  if (periodStart && periodEnd && periodStart > periodEnd) throw badRequest('Période invalide', { periodEnd: ['La fin de période précède son début'] });
  const data = {
    ...(input.dueDate === undefined ? {} : { dueDate: dayOrNull(input.dueDate) }),
    ...(input.deliveryDate === undefined ? {} : { deliveryDate: dayOrNull(input.deliveryDate) }),
    periodStart,
    periodEnd,
    ...(input.purchaseOrder === undefined ? {} : { purchaseOrder: input.purchaseOrder }),
    ...(input.paymentMethod === undefined ? {} : { paymentMethod: input.paymentMethod }),
  };
  await tx.invoice.update({ where: { tenantId_id: { tenantId: actor.tenantId, id: draft.id } }, data });
  if (input.lines) {
    const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { vatRegime: true } });
    await writeDraftLines(tx, actor.tenantId, draft.id, await manualLines(tx, actor.tenantId, organisation.vatRegime, input.lines, parisDay(now)));
  }
  const fields = Object.entries(input).flatMap(([key, value]) => (key !== 'invoiceId' && value !== undefined ? [key] : []));
  await auditAs(tx, actor, { action: 'invoice.draft_updated', entityType: 'invoice', entityId: draft.id, data: { fields } });
  return toInvoiceView(await loadInvoice(deps, draft.id));
}

import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { loadClient } from '../shared/load-client.ts';
import { parisDay } from '../shared/paris-day.ts';
import { manualLines, writeDraftLines } from './invoice-lines.ts';
import { loadInvoice, toInvoiceView } from './invoice-view.ts';
import type { TCreateInvoiceDraftInput } from './invoices.schema.ts';

const dayOrNull = (value: string | null | undefined) => (value ? new Date(`${value}T00:00:00Z`) : null);

/** A business buyer: a company, unless the contract it buys under was signed as a consumer's. */
export const buyerKindOf = (clientKind: string, contract: { consumer: boolean } | null): 'consumer' | 'business' =>
  clientKind === 'company' && !(contract?.consumer ?? false) ? 'business' : 'consumer';

/**
 * A manual invoice (one-off fees, goods): a draft without number, its lines priced from the
 * products unless given, its totals computed here. Editable and deletable until issued.
 */
export async function createInvoiceDraft(deps: TenantDeps, input: TCreateInvoiceDraftInput) {
  const { tx, actor, now } = deps;
  const client = await loadClient(deps, input.clientId, { id: true, kind: true });
  const contract = input.contractId
    ? await tx.contract.findFirst({ where: { id: input.contractId, tenantId: actor.tenantId, clientId: client.id }, select: { id: true, consumer: true } })
    : null;
  if (input.contractId && !contract) throw notFound('Contrat');
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { vatRegime: true } });
  const lines = await manualLines(tx, actor.tenantId, organisation.vatRegime, input.lines, parisDay(now));
  const buyerKind = buyerKindOf(client.kind, contract);
  const invoice = await tx.invoice.create({
    data: {
      tenantId: actor.tenantId,
      series: buyerKind === 'business' ? 'b2b' : 'b2c',
      clientId: client.id,
      contractId: contract?.id ?? null,
      buyerKind,
      paymentMethod: input.paymentMethod ?? 'transfer',
      dueDate: dayOrNull(input.dueDate),
      deliveryDate: dayOrNull(input.deliveryDate),
      periodStart: dayOrNull(input.periodStart),
      periodEnd: dayOrNull(input.periodEnd),
      purchaseOrder: input.purchaseOrder ?? null,
      createdBy: actor.userId,
      createdAt: now,
    },
    select: { id: true },
  });
  await writeDraftLines(tx, actor.tenantId, invoice.id, lines);
  await auditAs(tx, actor, { action: 'invoice.draft_created', entityType: 'invoice', entityId: invoice.id, data: { clientId: client.id } });
  return toInvoiceView(await loadInvoice(deps, invoice.id));
}

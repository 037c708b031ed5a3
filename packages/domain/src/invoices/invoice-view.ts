import type { Prisma, Tx } from '@crm/db';
import { conflict, notFound } from '../shared/errors.ts';
import { INVOICE_STATUS_LABELS } from './invoice-rules.ts';
import type { InvoiceStatus } from './invoices.schema.ts';

export const INVOICE_INCLUDE = {
  lines: { orderBy: { position: 'asc' } },
  client: { select: { id: true, displayName: true } },
  contract: { select: { id: true, number: true } },
  mandate: { select: { id: true, rum: true } },
  creditedInvoice: { select: { id: true, number: true, issueDate: true } },
  creditNotes: { select: { id: true, number: true, issueDate: true, grossCents: true }, orderBy: { createdAt: 'asc' } },
  scheduleLinks: { select: { scheduleItemId: true, scheduleItem: { select: { dueDate: true, amountCents: true, status: true, endToEndId: true } } } },
  documents: { select: { id: true, kind: true, fileName: true, sha256: true, sizeBytes: true }, orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.InvoiceInclude;
export type InvoiceRow = Prisma.InvoiceGetPayload<{ include: typeof INVOICE_INCLUDE }>;

const day = (date: Date | null): string | null => (date ? date.toISOString().slice(0, 10) : null);

/**
 * An invoice of the actor's organisation that the member may see (the client scope applies
 * through row-level security): another organisation's, a hidden client's and a made-up id all
 * answer NOT_FOUND the same way.
 */
export async function loadInvoice(deps: { tx: Tx; actor: { tenantId: string } }, invoiceId: string): Promise<InvoiceRow> {
  const row = await deps.tx.invoice.findFirst({ where: { id: invoiceId, tenantId: deps.actor.tenantId }, include: INVOICE_INCLUDE });
  if (!row) throw notFound('Facture');
  return row;
}

/** A draft, locked for the change about to be made; an issued one is a clear CONFLICT. */
export async function loadDraftForUpdate(deps: { tx: Tx; actor: { tenantId: string } }, invoiceId: string): Promise<InvoiceRow> {
  await deps.tx.$queryRaw`SELECT id FROM invoices WHERE tenant_id = ${deps.actor.tenantId}::uuid AND id = ${invoiceId}::uuid FOR UPDATE`;
  const row = await loadInvoice(deps, invoiceId);
  if (row.status !== 'draft') {
    const what = row.kind === 'credit_note' ? `L’avoir ${row.number}` : `La facture ${row.number}`;
    throw conflict(`${what} est émis${row.kind === 'credit_note' ? '' : 'e'} : ${row.kind === 'credit_note' ? 'il' : 'elle'} ne peut plus être modifié${row.kind === 'credit_note' ? '' : 'e'} ni supprimé${row.kind === 'credit_note' ? '' : 'e'}. Pour corriger une facture émise, établissez un avoir.`);
  }
  return row;
}

export function toInvoiceView(row: InvoiceRow) {
  const status = row.status as InvoiceStatus;
  return {
    id: row.id,
    kind: row.kind as 'invoice' | 'credit_note',
    status,
    statusLabel: INVOICE_STATUS_LABELS[status],
    series: row.series,
    number: row.number,
    client: row.client,
    contract: row.contract,
    buyerKind: row.buyerKind as 'consumer' | 'business',
    paymentMethod: row.paymentMethod,
    issueDate: day(row.issueDate),
    dueDate: day(row.dueDate),
    debitDate: day(row.debitDate),
    periodStart: day(row.periodStart),
    periodEnd: day(row.periodEnd),
    deliveryDate: day(row.deliveryDate),
    purchaseOrder: row.purchaseOrder,
    netCents: row.netCents,
    vatCents: row.vatCents,
    grossCents: row.grossCents,
    paidCents: row.paidCents,
    creditedCents: row.creditedCents,
    remainingCents: Math.max(0, row.grossCents - row.paidCents - row.creditedCents),
    reason: row.reason,
    creditedInvoice: row.creditedInvoice ? { id: row.creditedInvoice.id, number: row.creditedInvoice.number, issueDate: day(row.creditedInvoice.issueDate) } : null,
    creditNotes: row.creditNotes.map((c) => ({ id: c.id, number: c.number, issueDate: day(c.issueDate), grossCents: c.grossCents })),
    scheduleItemIds: row.scheduleLinks.map((l) => l.scheduleItemId),
    /** The audit trail invoice → contract → mandate → debits. */
    mandate: row.mandate,
    debits: row.scheduleLinks.map((l) => ({
      scheduleItemId: l.scheduleItemId,
      dueDate: day(l.scheduleItem.dueDate),
      amountCents: l.scheduleItem.amountCents,
      status: l.scheduleItem.status,
      endToEndId: l.scheduleItem.endToEndId,
    })),
    lines: row.lines.map((l) => ({
      id: l.id,
      position: l.position,
      label: l.label,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      netCents: l.netCents,
      vatCategory: l.vatCategory,
      vatRateBasisPoints: l.vatRateBasisPoints,
      vatExemptionReason: l.vatExemptionReason,
      supplyKind: l.supplyKind,
      productId: l.productId,
      scheduleItemId: l.scheduleItemId,
      periodStart: day(l.periodStart),
      periodEnd: day(l.periodEnd),
    })),
    snapshotSha256: row.snapshotSha256,
    /** The artefacts kept ten years (PDF, XML, JSON), with their sha256. */
    documents: row.documents,
    issuedAt: row.issuedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    editable: row.status === 'draft',
  };
}
export type InvoiceView = ReturnType<typeof toInvoiceView>;

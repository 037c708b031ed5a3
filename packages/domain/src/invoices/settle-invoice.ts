import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import { awaitsDebit, settledStatus } from './invoice-rules.ts';

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/**
 * The invoices consumer: payments settle invoices. `payment.received` adds the payment to the
 * invoice billing its schedule item (paid when nothing remains, or when every item it bills is
 * paid, so a cent of rounding between a schedule's per-line VAT and the invoice's per-rate VAT
 * never leaves it open; partly paid otherwise) and emits `invoice.paid` once fully paid;
 * `payment.rejected` (a reject, a return or a refund) takes the amount back and reopens it. The
 * payment row is read, not the payload, so a replay changes nothing twice (handleEventOnce).
 * A draft keeps the amount as prepaid for its issuance; an invoice without a schedule item is
 * not settled here.
 */
/**
 * What the payments of an invoice's schedule items add up to, recomputed from the payment rows
 * in their order: money received counts, a rejection after money was received (a return, a
 * refund, a late reject) takes it back, a reject of a debit never paid takes nothing.
 */
async function paidOnItems(tx: Tx, tenantId: string, invoiceId: string): Promise<number> {
  const payments = await tx.payment.findMany({
    where: { tenantId, scheduleItem: { is: { invoiceLinks: { some: { tenantId, invoiceId } } } } },
    select: { scheduleItemId: true, outcome: true, amountCents: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const balance = new Map<string, number>();
  for (const p of payments) {
    const before = balance.get(p.scheduleItemId!) ?? 0;
    balance.set(p.scheduleItemId!, p.outcome === 'received' ? before + p.amountCents : Math.max(0, before - p.amountCents));
  }
  return [...balance.values()].reduce((sum, v) => sum + v, 0);
}

export async function invoicesOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  if (event.type !== 'payment.received' && event.type !== 'payment.rejected') return;
  const { paymentId } = event.payload as { paymentId: string };
  const tenantId = event.tenantId;
  const payment = await tx.payment.findFirst({ where: { id: paymentId, tenantId }, select: { scheduleItemId: true, valueDate: true } });
  if (!payment?.scheduleItemId) return;
  const link = await tx.invoiceScheduleItem.findUnique({ where: { tenantId_scheduleItemId: { tenantId, scheduleItemId: payment.scheduleItemId } }, select: { invoiceId: true } });
  if (!link) return;
  await tx.$queryRaw`SELECT id FROM invoices WHERE tenant_id = ${tenantId}::uuid AND id = ${link.invoiceId}::uuid FOR UPDATE`;
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { tenantId_id: { tenantId, id: link.invoiceId } },
    include: { scheduleLinks: { select: { scheduleItem: { select: { status: true } } } } },
  });
  const paidCents = await paidOnItems(tx, tenantId, invoice.id);
  if (invoice.status === 'draft') {
    await tx.invoice.update({ where: { tenantId_id: { tenantId, id: invoice.id } }, data: { paidCents } });
    return;
  }
  const everyItemPaid = invoice.scheduleLinks.length > 0 && invoice.scheduleLinks.every((l) => l.scheduleItem.status === 'paid');
  const remaining = invoice.grossCents - invoice.creditedCents - paidCents;
  const awaitingDebit = awaitsDebit(invoice.paymentMethod, invoice.scheduleLinks.map((l) => l.scheduleItem.status));
  let status = settledStatus({ grossCents: invoice.grossCents, paidCents, creditedCents: invoice.creditedCents, dueDate: day(invoice.dueDate), awaitingDebit }, deps.today);
  if (status === 'partly_paid' && everyItemPaid && remaining <= invoice.scheduleLinks.length) status = 'paid';
  if (invoice.status === 'cancelled') status = 'cancelled';
  const paidOn = day(payment.valueDate)!;
  await tx.invoice.update({
    where: { tenantId_id: { tenantId, id: invoice.id } },
    data: { paidCents, status, paidAt: status === 'paid' ? (invoice.paidAt ?? deps.now) : null },
  });
  if (status === 'paid' && invoice.status !== 'paid') {
    await emitEvent(tx, { type: 'invoice.paid', tenantId, payload: { invoiceId: invoice.id, clientId: invoice.clientId, number: invoice.number!, paidCents, paidOn } });
  }
}

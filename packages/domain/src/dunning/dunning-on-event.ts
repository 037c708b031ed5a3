import type { Tx } from '@crm/db';
import type { EventEnvelope, EventPayload } from '../events/catalogue.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import { formatEur } from '../shared/money.ts';
import { addCaseEntry, claimDebts, dateOf, isoDay, settleCase, type CaseClock } from './dunning-cases.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { stepDueOn } from './dunning-rules.ts';

/**
 * The dunning consumer. Opens a case on a debit that will not go back to the bank
 * (`payment.unrecovered`) and on an invoice issued already past due (`invoice.created`; the nightly
 * run finds the others as their due date passes); settles cases on `payment.received`,
 * `invoice.paid` and `credit_note.created` (read again from the rows, so a replay changes
 * nothing); opens a commercial follow-up on a new prospect (`client.created`) when the
 * organisation's prospects plan is on. Each event once (handleEventOnce), and each debt once
 * (claimDebts).
 */
export async function dunningOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  const tenantId = event.tenantId;
  const clock: CaseClock = { today: deps.today, now: deps.now, createdBy: deps.actor.name };
  switch (event.type) {
    case 'payment.unrecovered':
      return onUnrecovered(tx, tenantId, clock, event.payload as EventPayload<'payment.unrecovered'>);
    case 'payment.received': {
      const { paymentId } = event.payload as EventPayload<'payment.received'>;
      const payment = await tx.payment.findFirst({ where: { tenantId, id: paymentId }, select: { scheduleItemId: true } });
      if (!payment?.scheduleItemId) return;
      const link = await tx.invoiceScheduleItem.findFirst({ where: { tenantId, scheduleItemId: payment.scheduleItemId }, select: { invoiceId: true } });
      return settleCasesOf(tx, tenantId, clock, { scheduleItemId: payment.scheduleItemId, invoiceId: link?.invoiceId ?? null });
    }
    case 'invoice.paid':
      return settleCasesOf(tx, tenantId, clock, { scheduleItemId: null, invoiceId: (event.payload as EventPayload<'invoice.paid'>).invoiceId });
    case 'credit_note.created':
      return settleCasesOf(tx, tenantId, clock, { scheduleItemId: null, invoiceId: (event.payload as EventPayload<'credit_note.created'>).invoiceId });
    case 'invoice.created':
      return onInvoiceCreated(tx, tenantId, clock, event.payload as EventPayload<'invoice.created'>);
    case 'client.created':
      return onClientCreated(tx, tenantId, clock, event.payload as EventPayload<'client.created'>);
    default:
      return;
  }
}

async function onUnrecovered(tx: Tx, tenantId: string, clock: CaseClock, payload: EventPayload<'payment.unrecovered'>): Promise<void> {
  const payment = await tx.payment.findFirst({ where: { tenantId, id: payload.paymentId }, select: { scheduleItemId: true } });
  if (!payment?.scheduleItemId) return;
  const item = await tx.scheduleItem.findFirstOrThrow({
    where: { tenantId, id: payment.scheduleItemId },
    select: { id: true, contractId: true, clientId: true, amountCents: true, dueDate: true, invoiceLinks: { select: { invoiceId: true } } },
  });
  // The invoice that bills the debit is claimed with it, unless a case claims it already.
  const invoiceId = item.invoiceLinks[0]?.invoiceId ?? null;
  const invoiceTaken = invoiceId ? await tx.dunningCaseItem.count({ where: { tenantId, invoiceId } }) : 0;
  const reason = payload.reasonCode ? ` (${payload.reasonCode})` : '';
  await claimDebts(tx, tenantId, clock, item.clientId, [
    {
      scheduleItemId: item.id,
      invoiceId: invoiceTaken ? null : invoiceId,
      contractId: item.contractId,
      label: `Prélèvement du ${isoDay(item.dueDate)} rejeté${reason} : ${formatEur(item.amountCents)}`,
      amountCents: item.amountCents,
      dueDate: isoDay(item.dueDate)!,
    },
  ]);
}

async function settleCasesOf(tx: Tx, tenantId: string, clock: CaseClock, debt: { scheduleItemId: string | null; invoiceId: string | null }): Promise<void> {
  const or = [...(debt.scheduleItemId ? [{ scheduleItemId: debt.scheduleItemId }] : []), ...(debt.invoiceId ? [{ invoiceId: debt.invoiceId }] : [])];
  if (or.length === 0) return;
  const items = await tx.dunningCaseItem.findMany({ where: { tenantId, OR: or }, select: { caseId: true } });
  for (const caseId of new Set(items.map((i) => i.caseId))) await settleCase(tx, tenantId, clock, caseId);
}

/** An invoice issued with its due date already past (a late invoice for a past service) is claimed at once. */
async function onInvoiceCreated(tx: Tx, tenantId: string, clock: CaseClock, payload: EventPayload<'invoice.created'>): Promise<void> {
  if (payload.dueDate >= clock.today) return;
  const invoice = await tx.invoice.findFirst({
    where: { tenantId, id: payload.invoiceId, kind: 'invoice', status: { in: ['issued', 'partly_paid', 'overdue'] } },
    select: { id: true, number: true, clientId: true, contractId: true, grossCents: true, dueDate: true, paymentMethod: true, scheduleLinks: { select: { scheduleItemId: true } } },
  });
  // A direct debit's invoice is the debit's: a reject brings it through payment.unrecovered.
  if (!invoice || (invoice.paymentMethod === 'sepa_debit' && invoice.scheduleLinks.length > 0)) return;
  await claimDebts(tx, tenantId, clock, invoice.clientId, [
    { scheduleItemId: null, invoiceId: invoice.id, contractId: invoice.contractId, label: `Facture ${invoice.number} échue le ${isoDay(invoice.dueDate)}`, amountCents: invoice.grossCents, dueDate: isoDay(invoice.dueDate)! },
  ]);
}

/** A new prospect (not an import) gets the organisation's commercial follow-up, when turned on. */
async function onClientCreated(tx: Tx, tenantId: string, clock: CaseClock, payload: EventPayload<'client.created'>): Promise<void> {
  if (payload.imported) return;
  const client = await tx.client.findFirst({ where: { tenantId, id: payload.clientId }, select: { status: true } });
  if (client?.status !== 'prospect') return;
  const plan = (await loadDunningPlans(tx, tenantId)).find((p) => p.audience === 'prospect');
  if (!plan?.active || plan.steps.length === 0) return;
  const first = stepDueOn(plan.steps, 0, clock.today, null)!;
  const created = await tx.dunningCase.createManyAndReturn({
    data: [
      {
        tenantId,
        clientId: payload.clientId,
        planId: plan.id,
        purpose: 'commercial',
        audience: 'prospect',
        openedOn: dateOf(clock.today),
        cycleStartedOn: dateOf(clock.today),
        nextStepOn: dateOf(first),
        createdBy: clock.createdBy,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created[0]) await addCaseEntry(tx, tenantId, clock, { caseId: created[0].id, kind: 'opened', title: `Suivi commercial ouvert (${plan.name})` });
}

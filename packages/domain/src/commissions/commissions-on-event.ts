import { Prisma, type Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import { dayIn, type HandlerDeps } from '../events/handler-deps.ts';
import { dayDate, earnDueLines, insertLine } from './commission-lines.ts';
import { clawbackAmount, earningConditions, laterDay, oneShotAmount, recurringAmount, type OneShotTrigger } from './commission-rules.ts';
import { commissionedContract, type CommissionedContract } from './resolve-plan.ts';

const TRIGGER_LABEL: Record<OneShotTrigger, string> = {
  signature: 'Prime à la signature',
  withdrawal_end: 'Prime à la fin du délai de rétractation',
  activation: 'Prime à la mise en service',
  first_debit: 'Prime au premier prélèvement payé',
};

/**
 * The commissions consumer: contract and payment events make commission lines, each event once
 * (handleEventOnce) and each line once (its source key). A one-shot is provisional until the
 * withdrawal period is over and, when the plan says so, the first debit is collected; a recurring
 * line is earned when its instalment is collected. A rejected debit alone changes nothing (it may
 * be presented again and paid); `payment.unrecovered` (it will not be), a cancellation or a
 * termination within the plan's clawback months voids the contract's provisional one-shots and
 * claws back the earned ones, on the next statement, each clawback naming its line. A return or
 * refund of a collected instalment takes back the recurring share earned on it.
 */
export async function commissionsOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  const tenantId = event.tenantId;
  const eventDay = dayIn(deps.timeZone, new Date(event.occurredAt));
  const payload = event.payload as { contractId?: string | null };
  if (!payload.contractId) return;
  const contract = await commissionedContract(tx, tenantId, payload.contractId);
  if (!contract?.rules) return;
  switch (event.type) {
    case 'contract.signed':
      await oneShots(tx, tenantId, event, contract, ['signature', 'withdrawal_end'], contract.signedOn);
      break;
    case 'contract.activated':
      if (!(event.payload as EventEnvelope<'contract.activated'>['payload']).resumed) await oneShots(tx, tenantId, event, contract, ['activation'], eventDay);
      break;
    case 'payment.received':
      await paymentReceived(tx, tenantId, event as EventEnvelope<'payment.received'>, contract);
      break;
    case 'payment.rejected':
      await paymentReturned(tx, tenantId, event as EventEnvelope<'payment.rejected'>, contract);
      break;
    case 'payment.unrecovered':
      await clawBack(tx, tenantId, event, contract, (event.payload as EventEnvelope<'payment.unrecovered'>['payload']).rejectedOn);
      break;
    case 'contract.cancelled':
      await endContract(tx, tenantId, contract.contractId, eventDay);
      await clawBack(tx, tenantId, event, contract, eventDay);
      break;
    case 'contract.terminated': {
      const endDate = (event.payload as EventEnvelope<'contract.terminated'>['payload']).endDate;
      await endContract(tx, tenantId, contract.contractId, endDate);
      await clawBack(tx, tenantId, event, contract, endDate);
      break;
    }
    default:
      break;
  }
  // Whatever this event made that already holds (a company's contract: no withdrawal period).
  await earnDueLines(tx, tenantId, deps.today, Prisma.sql`l.contract_id = ${contract.contractId}::uuid`);
}

async function oneShots(tx: Tx, tenantId: string, event: EventEnvelope, contract: CommissionedContract, triggers: OneShotTrigger[], occurredOn: string) {
  const rules = contract.rules!;
  for (const [index, rule] of rules.oneShots.entries()) {
    if (!triggers.includes(rule.trigger)) continue;
    const amount = oneShotAmount(rule, contract.valueCents);
    if (amount <= 0) continue;
    const conditions = earningConditions(rules, contract, occurredOn);
    await insertLine(
      tx,
      tenantId,
      {
        salesRepId: contract.salesRepId,
        contractId: contract.contractId,
        planVersionId: contract.planVersionId,
        kind: 'one_shot',
        trigger: rule.trigger,
        status: 'provisional',
        amountCents: amount,
        baseCents: contract.valueCents,
        rateBasisPoints: rule.valueRateBasisPoints || null,
        earnAfter: rule.trigger === 'withdrawal_end' ? laterDay(conditions.earnAfter, occurredOn) : conditions.earnAfter,
        awaitsFirstDebit: conditions.awaitsFirstDebit,
        occurredOn,
        sourceKey: `one_shot:${contract.contractId}:${index}`,
        sourceEventId: event.id,
        label: TRIGGER_LABEL[rule.trigger],
      },
      rules,
    );
  }
}

async function paymentReceived(tx: Tx, tenantId: string, event: EventEnvelope<'payment.received'>, contract: CommissionedContract) {
  const { paymentId, amountCents, receivedOn } = event.payload;
  const rules = contract.rules!;
  const amount = recurringAmount(rules, amountCents);
  if (amount > 0) {
    await insertLine(
      tx,
      tenantId,
      {
        salesRepId: contract.salesRepId,
        contractId: contract.contractId,
        planVersionId: contract.planVersionId,
        kind: 'recurring',
        status: 'earned',
        amountCents: amount,
        baseCents: amountCents,
        rateBasisPoints: rules.recurringRateBasisPoints,
        occurredOn: receivedOn,
        earnedOn: receivedOn,
        paymentId,
        sourceKey: `recurring:${paymentId}`,
        sourceEventId: event.id,
        label: 'Commission sur encaissement',
      },
      rules,
    );
  }
  if (contract.firstDebitOn === null) {
    // The first collected debit: the "bonne fin" condition holds from that day on.
    await tx.commissionContract.update({ where: { tenantId_contractId: { tenantId, contractId: contract.contractId } }, data: { firstDebitOn: dayDate(receivedOn) } });
    const withDebit = { ...contract, firstDebitOn: receivedOn };
    await oneShots(tx, tenantId, event, withDebit, ['first_debit'], receivedOn);
    await tx.$executeRaw`
      UPDATE commission_lines SET awaits_first_debit = false, earn_after = GREATEST(earn_after, ${receivedOn}::date)
      WHERE tenant_id = ${tenantId}::uuid AND contract_id = ${contract.contractId}::uuid AND status = 'provisional' AND awaits_first_debit`;
  }
}

/** A collected instalment taken back (return, refund): the recurring share earned on it goes too. */
async function paymentReturned(tx: Tx, tenantId: string, event: EventEnvelope<'payment.rejected'>, contract: CommissionedContract) {
  if (event.payload.rTransaction !== 'return' && event.payload.rTransaction !== 'refund') return;
  const rejected = await tx.payment.findFirst({ where: { tenantId, id: event.payload.paymentId }, select: { scheduleItemId: true } });
  if (!rejected?.scheduleItemId) return;
  const lines = await tx.$queryRaw<{ id: string; sales_rep_id: string; kind: string; amount_cents: number; plan_version_id: string | null }[]>`
    SELECT l.id, l.sales_rep_id, l.kind, l.amount_cents, l.plan_version_id FROM commission_lines l
    WHERE l.tenant_id = ${tenantId}::uuid AND l.status = 'earned' AND (
      (l.kind = 'recurring' AND l.payment_id IN (SELECT p.id FROM payments p WHERE p.tenant_id = ${tenantId}::uuid
         AND p.schedule_item_id = ${rejected.scheduleItemId}::uuid AND p.outcome = 'received'))
      OR (l.kind = 'override' AND l.related_line_id IN (SELECT r.id FROM commission_lines r WHERE r.tenant_id = ${tenantId}::uuid AND r.kind = 'recurring'
         AND r.payment_id IN (SELECT p.id FROM payments p WHERE p.tenant_id = ${tenantId}::uuid
           AND p.schedule_item_id = ${rejected.scheduleItemId}::uuid AND p.outcome = 'received'))))
    ORDER BY l.id`;
  for (const line of lines) {
    await clawbackLine(tx, tenantId, event, contract, line, -line.amount_cents, event.payload.rejectedOn, 'Reprise : encaissement restitué');
  }
}

async function endContract(tx: Tx, tenantId: string, contractId: string, endedOn: string) {
  await tx.commissionContract.updateMany({ where: { tenantId, contractId, endedOn: null }, data: { endedOn: dayDate(endedOn) } });
}

/**
 * The contract is lost on `eventOn`: its provisional one-shots (and their overrides) are void,
 * never paid; its earned ones are clawed back when within the plan's clawback months.
 */
async function clawBack(tx: Tx, tenantId: string, event: EventEnvelope, contract: CommissionedContract, eventOn: string) {
  const rules = contract.rules!;
  await tx.$executeRaw`
    UPDATE commission_lines SET status = 'void'
    WHERE tenant_id = ${tenantId}::uuid AND contract_id = ${contract.contractId}::uuid AND status = 'provisional' AND kind IN ('one_shot', 'override')`;
  const earned = await tx.$queryRaw<{ id: string; sales_rep_id: string; kind: string; amount_cents: number; plan_version_id: string | null }[]>`
    SELECT l.id, l.sales_rep_id, l.kind, l.amount_cents, l.plan_version_id FROM commission_lines l
    WHERE l.tenant_id = ${tenantId}::uuid AND l.contract_id = ${contract.contractId}::uuid AND l.status = 'earned'
      AND (l.kind = 'one_shot' OR (l.kind = 'override' AND EXISTS (
        SELECT 1 FROM commission_lines r WHERE r.tenant_id = l.tenant_id AND r.id = l.related_line_id AND r.kind = 'one_shot')))
    ORDER BY l.id`;
  const why = event.type === 'payment.unrecovered' ? 'Reprise : prélèvement impayé non recouvré' : event.type === 'contract.cancelled' ? 'Reprise : contrat annulé' : 'Reprise : contrat résilié';
  for (const line of earned) {
    const amount = clawbackAmount(rules, line.amount_cents, contract.signedOn, eventOn);
    if (amount < 0) await clawbackLine(tx, tenantId, event, contract, line, amount, eventOn, why);
  }
}

async function clawbackLine(
  tx: Tx,
  tenantId: string,
  event: EventEnvelope,
  contract: CommissionedContract,
  line: { id: string; sales_rep_id: string; amount_cents: number; plan_version_id: string | null },
  amountCents: number,
  eventOn: string,
  label: string,
) {
  await insertLine(tx, tenantId, {
    salesRepId: line.sales_rep_id,
    contractId: contract.contractId,
    planVersionId: line.plan_version_id,
    kind: 'clawback',
    status: 'earned',
    amountCents,
    baseCents: line.amount_cents,
    occurredOn: eventOn,
    earnedOn: eventOn,
    relatedLineId: line.id,
    sourceKey: `clawback:${line.id}`,
    sourceEventId: event.id,
    label,
  });
}

import { newId, type Prisma, type Tx } from '@crm/db';
import type { EventEnvelope, EventType } from '../events/catalogue.ts';
import { emitEvents, type NewEvent } from '../events/emit-event.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import { BANK_CUT_OFF_BUSINESS_DAYS } from '../payments/batch-selection.ts';
import { dateOf, isoOf } from '../payments/dates.ts';
import {
  decideRetry,
  rejectFeeCents,
  representationDate,
  type PaydayRule,
  type RetryDecision,
  type RetryPolicy,
} from './retry-rules.ts';

/** The organisation's retry settings, as the rules take them. */
export interface RetrySettings extends RetryPolicy {
  paydayRule: PaydayRule;
  rejectFeeEnabled: boolean;
  preNotificationDays: number;
}

export async function retrySettingsOf(tx: Tx, tenantId: string): Promise<RetrySettings> {
  const o = await tx.organisation.findUniqueOrThrow({
    where: { id: tenantId },
    select: { sepaMs03InsufficientFunds: true, retryMaxAttempts: true, retryPaydayRule: true, retryRejectFeeEnabled: true, sepaPreNotificationDays: true },
  });
  return {
    ms03MeansInsufficientFunds: o.sepaMs03InsufficientFunds,
    maxRepresentations: o.retryMaxAttempts,
    paydayRule: o.retryPaydayRule as PaydayRule,
    rejectFeeEnabled: o.retryRejectFeeEnabled,
    preNotificationDays: o.sepaPreNotificationDays,
  };
}

/** A rejection with what deciding on it needs (one query for a whole batch of events). */
export const REJECTION_SELECT = {
  id: true,
  outcome: true,
  reasonCode: true,
  reasonCategory: true,
  rTransaction: true,
  amountCents: true,
  valueDate: true,
  clientId: true,
  contractId: true,
  retry: { select: { id: true } },
  scheduleItem: {
    select: {
      id: true,
      attempt: true,
      kind: true,
      mandateId: true,
      contractId: true,
      clientId: true,
      periodStart: true,
      periodEnd: true,
      paymentMethod: true,
      mandate: { select: { status: true } },
      contract: { select: { preNotificationDays: true, rejectFeeCents: true } },
      invoiceLinks: { select: { invoiceId: true } },
    },
  },
} as const;

type Rejection = NonNullable<Awaited<ReturnType<typeof loadRejections>>>[number];

export function loadRejections(tx: Tx, tenantId: string, paymentIds: string[]) {
  return tx.payment.findMany({ where: { tenantId, id: { in: paymentIds }, outcome: 'rejected' }, select: REJECTION_SELECT });
}

/** What the rules say for one rejection, and the collection date when it goes back. */
export function planFor(rejection: Rejection, settings: RetrySettings, today: string): { decision: RetryDecision; collectionDate: string | null; feeCents: number | null } {
  const item = rejection.scheduleItem!;
  const decision = decideRetry(
    {
      reasonCode: rejection.reasonCode,
      rTransaction: rejection.rTransaction,
      attempt: item.attempt,
      kind: item.kind,
      mandateActive: item.mandate?.status === 'active',
    },
    settings,
  );
  if (decision.kind !== 'represent') return { decision, collectionDate: null, feeCents: null };
  const lead = { preNotificationDays: item.contract.preNotificationDays ?? settings.preNotificationDays, cutOffBusinessDays: BANK_CUT_OFF_BUSINESS_DAYS };
  return {
    decision,
    collectionDate: representationDate(today, lead, settings.paydayRule),
    feeCents: rejectFeeCents(item.contract.rejectFeeCents, settings.rejectFeeEnabled),
  };
}

/** The new schedule item presenting `rejection` again on `collectionDate` (attempt + 1, same mandate, linked), and its fee when charged. */
export function representationRows(tenantId: string, rejection: Rejection, attempt: number, collectionDate: string, feeCents: number | null) {
  const item = rejection.scheduleItem!;
  const common = {
    tenantId,
    contractId: item.contractId,
    clientId: item.clientId,
    mandateId: item.mandateId,
    periodStart: item.periodStart,
    periodEnd: item.periodEnd,
    dueDate: dateOf(collectionDate),
    paymentMethod: item.paymentMethod,
    status: 'planned' as const,
    originalItemId: item.id,
  };
  const represented = { ...common, id: newId(), amountCents: rejection.amountCents, attempt, kind: 'instalment' as const };
  const fee = feeCents === null ? null : { ...common, id: newId(), amountCents: feeCents, attempt: 1, kind: 'reject_fee' as const };
  // The invoice billing the rejected item bills its re-presentation too, so paying it settles the invoice.
  const links = item.invoiceLinks.map((l) => ({ tenantId, scheduleItemId: represented.id, invoiceId: l.invoiceId }));
  return { represented, fee, links };
}

/**
 * Decides every rejection of `paymentIds` not decided yet, in a few statements whatever their
 * number: re-presented (a new planned item collected on the payday after the earliest possible
 * date, with its fee when the contract states one and the organisation charges it;
 * `payment.represented`) or not (`payment.unrecovered`: dunning takes it). A rejection already
 * decided is skipped, so the same event twice makes one re-presentation.
 */
export async function decideRejections(tx: Tx, tenantId: string, paymentIds: string[], ctx: { today: string; now: Date; decidedBy: string }) {
  if (paymentIds.length === 0) return { represented: 0, unrecovered: 0 };
  // Rejections of the same items decided by two transactions at once: the second waits here.
  await tx.$queryRaw`SELECT id FROM payments WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${paymentIds}::uuid[]) ORDER BY id FOR UPDATE`;
  const rejections = (await loadRejections(tx, tenantId, paymentIds)).filter((r) => !r.retry && r.scheduleItem);
  if (rejections.length === 0) return { represented: 0, unrecovered: 0 };
  const settings = await retrySettingsOf(tx, tenantId);
  const items: ReturnType<typeof representationRows>['represented'][] = [];
  const fees: NonNullable<ReturnType<typeof representationRows>['fee']>[] = [];
  const links: { tenantId: string; scheduleItemId: string; invoiceId: string }[] = [];
  const retries: Prisma.PaymentRetryCreateManyInput[] = [];
  const events: NewEvent<EventType>[] = [];
  let represented = 0;
  for (const rejection of rejections) {
    const item = rejection.scheduleItem!;
    const plan = planFor(rejection, settings, ctx.today);
    const base = {
      id: newId(),
      tenantId,
      paymentId: rejection.id,
      scheduleItemId: item.id,
      clientId: item.clientId,
      contractId: item.contractId,
      attempt: item.attempt,
      decidedBy: ctx.decidedBy,
    };
    if (plan.decision.kind === 'represent') {
      const rows = representationRows(tenantId, rejection, plan.decision.attempt, plan.collectionDate!, plan.feeCents);
      items.push(rows.represented);
      if (rows.fee) fees.push(rows.fee);
      links.push(...rows.links);
      retries.push({ ...base, decision: 'represent', representedItemId: rows.represented.id, feeItemId: rows.fee?.id ?? null, collectionDate: dateOf(plan.collectionDate!) });
      events.push({
        type: 'payment.represented',
        tenantId,
        payload: {
          paymentId: rows.represented.id,
          originalPaymentId: rejection.id,
          clientId: item.clientId,
          contractId: item.contractId,
          amountCents: rejection.amountCents,
          attempt: plan.decision.attempt,
          collectionDate: plan.collectionDate!,
        },
      });
      represented++;
    } else {
      retries.push({ ...base, decision: 'unrecovered', why: plan.decision.why });
      events.push(unrecoveredEvent(tenantId, rejection, plan.decision.why));
    }
  }
  if (items.length + fees.length > 0) await tx.scheduleItem.createMany({ data: [...items, ...fees] });
  if (links.length > 0) await tx.invoiceScheduleItem.createMany({ data: links });
  await tx.paymentRetry.createMany({ data: retries });
  await emitEvents(tx, events, ctx.now);
  return { represented, unrecovered: rejections.length - represented };
}

/** `payment.unrecovered` for a rejection that will not go back to the bank. */
export function unrecoveredEvent(
  tenantId: string,
  rejection: Pick<Rejection, 'id' | 'clientId' | 'contractId' | 'amountCents' | 'reasonCode' | 'reasonCategory' | 'valueDate'> & { scheduleItem: { attempt: number } | null },
  why: 'not_retryable' | 'attempts_exhausted' | 'stopped',
): NewEvent<'payment.unrecovered'> {
  return {
    type: 'payment.unrecovered',
    tenantId,
    payload: {
      paymentId: rejection.id,
      clientId: rejection.clientId,
      contractId: rejection.contractId,
      amountCents: rejection.amountCents,
      reasonCode: rejection.reasonCode,
      ...(rejection.reasonCategory ? { reasonCategory: rejection.reasonCategory } : {}),
      attempts: rejection.scheduleItem?.attempt ?? 1,
      why,
      rejectedOn: isoOf(rejection.valueDate),
    },
  };
}

/**
 * The retries consumer: each `payment.rejected` is decided once (re-presented or handed to
 * dunning). Batches of events are decided together (a return file of thousands of rejections).
 */
export async function retryOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  await retryOnEvents(tx, [event], deps);
}

export async function retryOnEvents(tx: Tx, events: EventEnvelope[], deps: HandlerDeps): Promise<void> {
  const paymentIds = events.filter((e) => e.type === 'payment.rejected').map((e) => (e.payload as { paymentId: string }).paymentId);
  if (paymentIds.length === 0) return;
  await decideRejections(tx, events[0]!.tenantId, paymentIds, { today: deps.today, now: deps.now, decidedBy: deps.actor.name });
}

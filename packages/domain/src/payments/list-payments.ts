import type { Prisma } from '@crm/db';
import { loadClient } from '../shared/load-client.ts';
import { reasonLabel } from '../sepa/sepa-reason-codes.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { dateOf, isoOf } from './dates.ts';
import { keysetPages } from './list-pages.ts';
import type { TContractScheduleInput, TListPaymentsInput, TListScheduleItemsInput } from './payments.schema.ts';

const paymentPages = keysetPages('payments', 'valueDate', 'desc', 'date');
const itemPages = keysetPages('schedule-items', 'dueDate', 'asc', 'date');

type PaymentRow = Prisma.PaymentGetPayload<{ include: { client: { select: { displayName: true } }; contract: { select: { number: true } } } }>;

export function toPaymentView(p: PaymentRow) {
  return {
    id: p.id,
    outcome: p.outcome,
    method: p.method,
    amountCents: p.amountCents,
    valueDate: isoOf(p.valueDate),
    reasonCode: p.reasonCode,
    /** "Provision insuffisante (AM04)" for a rejection, null for a payment received. */
    reasonLabel: p.outcome === 'rejected' ? reasonLabel(p.reasonCode) : null,
    reasonCategory: p.reasonCategory,
    rTransaction: p.rTransaction,
    reference: p.reference,
    scheduleItemId: p.scheduleItemId,
    clientId: p.clientId,
    clientName: p.client.displayName,
    contractId: p.contractId,
    contractNumber: p.contract?.number ?? null,
    returnFileId: p.returnFileId,
    createdAt: p.createdAt.toISOString(),
  };
}

/** One page of payments (received or rejected), newest value date first, by outcome and SEPA reason code. */
export async function listPayments({ tx, actor }: TenantDeps, input: TListPaymentsInput) {
  // A filter naming another tenant's row answers like the row itself: not found.
  if (input.clientId) await loadClient({ tx, actor }, input.clientId, { id: true });
  if (input.contractId && !(await tx.contract.findFirst({ where: { id: input.contractId, tenantId: actor.tenantId }, select: { id: true } }))) throw notFound('Contrat');
  const rows = await tx.payment.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(input.outcome ? { outcome: input.outcome } : {}),
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.contractId ? { contractId: input.contractId } : {}),
      AND: [paymentPages.after<Prisma.PaymentWhereInput>(input.cursor)],
    },
    include: { client: { select: { displayName: true } }, contract: { select: { number: true } } },
    orderBy: [{ valueDate: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  return paymentPages.of(rows, input.limit, toPaymentView);
}

type ItemRow = Prisma.ScheduleItemGetPayload<{
  include: { client: { select: { displayName: true } }; contract: { select: { number: true } }; payments: true; batch: { select: { number: true; collectionDate: true } }; mandate: { select: { rum: true } } };
}>;

function toItemView(i: ItemRow) {
  const last = [...i.payments].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return {
    id: i.id,
    contractId: i.contractId,
    contractNumber: i.contract.number,
    clientId: i.clientId,
    clientName: i.client.displayName,
    periodStart: isoOf(i.periodStart),
    periodEnd: isoOf(i.periodEnd),
    dueDate: isoOf(i.dueDate),
    /** The date the debit is (or was) collected on: its batch's once batched, else its due date. */
    collectionDate: isoOf(i.batch?.collectionDate ?? i.dueDate),
    amountCents: i.amountCents,
    paymentMethod: i.paymentMethod,
    rum: i.mandate?.rum ?? null,
    attempt: i.attempt,
    /** The debtor's pre-notification: how and when it went, what it announced (null: none recorded). */
    notice: i.noticeChannel
      ? { channel: i.noticeChannel, sentAt: i.noticeSentAt?.toISOString() ?? null, amountCents: i.noticeAmountCents, dueDate: i.noticeDueDate ? isoOf(i.noticeDueDate) : null }
      : null,
    status: i.status,
    sequenceType: i.sequenceType,
    endToEndId: i.endToEndId,
    batchId: i.batchId,
    batchNumber: i.batch?.number ?? null,
    reasonCode: last?.outcome === 'rejected' ? last.reasonCode : null,
    reasonLabel: last?.outcome === 'rejected' ? reasonLabel(last.reasonCode) : null,
    reasonCategory: last?.outcome === 'rejected' ? last.reasonCategory : null,
  };
}
export type ScheduleItemView = ReturnType<typeof toItemView>;

const itemInclude = {
  client: { select: { displayName: true } },
  contract: { select: { number: true } },
  payments: true,
  batch: { select: { number: true, collectionDate: true } },
  mandate: { select: { rum: true } },
} as const;

/**
 * One page of schedule items by due date: by status, client, collection date (the batch's once
 * batched, else the due date) from and to, and rejected ones by the bank's reason code.
 */
export async function listScheduleItems({ tx, actor }: TenantDeps, input: TListScheduleItemsInput) {
  // A filter naming another tenant's (or an unseen) client answers like the client itself: not found.
  if (input.clientId) await loadClient({ tx, actor }, input.clientId, { id: true });
  const range = { ...(input.from ? { gte: dateOf(input.from) } : {}), ...(input.to ? { lte: dateOf(input.to) } : {}) };
  const dated = input.from || input.to;
  const rows = await tx.scheduleItem.findMany({
    where: {
      tenantId: actor.tenantId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(dated ? { OR: [{ batchId: null, dueDate: range }, { batch: { collectionDate: range } }] } : {}),
      ...(input.reasonCode ? { payments: { some: { outcome: 'rejected', reasonCode: input.reasonCode } } } : {}),
      AND: [itemPages.after<Prisma.ScheduleItemWhereInput>(input.cursor)],
    },
    include: itemInclude,
    orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
    take: input.limit + 1,
  });
  return itemPages.of(rows, input.limit, toItemView);
}

/** A contract's schedule, period by period, with its mandate. */
export async function getContractSchedule({ tx, actor }: TenantDeps, input: TContractScheduleInput) {
  const contract = await tx.contract.findFirst({ where: { id: input.contractId, tenantId: actor.tenantId }, select: { id: true } });
  if (!contract) throw notFound('Contrat');
  const [items, mandate] = await Promise.all([
    tx.scheduleItem.findMany({ where: { tenantId: actor.tenantId, contractId: contract.id }, include: itemInclude, orderBy: [{ periodStart: 'asc' }, { id: 'asc' }] }),
    tx.sepaMandate.findFirst({ where: { tenantId: actor.tenantId, contractId: contract.id }, orderBy: { createdAt: 'desc' }, select: { id: true, rum: true, status: true, scheme: true } }),
  ]);
  const views = items.map(toItemView);
  return {
    mandate,
    items: views,
    totals: {
      plannedCents: views.filter((i) => i.status === 'planned').reduce((s, i) => s + i.amountCents, 0),
      paidCents: views.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountCents, 0),
      rejectedCents: views.filter((i) => i.status === 'rejected').reduce((s, i) => s + i.amountCents, 0),
    },
  };
}

import type { Prisma, Tx } from '@crm/db';
import { addBusinessDays } from '../calendar/business-days.ts';
import type { TenantDeps } from '../shared/context.ts';
import { dateOf, isoOf, parisToday } from './dates.ts';
import { settleItem } from './record-payment.ts';

/**
 * A submitted debit the bank has not rejected `sepaSettleAfterDays` TARGET2 business days after
 * its collection date counts as paid on its collection date (Payment received, payment.received).
 * The worker runs it periodically for each tenant; `payments.settleUnanswered` runs it on demand.
 */
async function unansweredWhere(tx: Tx, tenantId: string, today: string) {
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { sepaSettleAfterDays: true } });
  // The latest collection date whose waiting period is over on `today`.
  const latest = addBusinessDays(today, -organisation.sepaSettleAfterDays, 'target2');
  return {
    where: { tenantId, status: 'submitted', paymentMethod: 'sepa_debit', batch: { status: 'sent', collectionDate: { lte: dateOf(latest) } } } satisfies Prisma.ScheduleItemWhereInput,
    waitingDays: organisation.sepaSettleAfterDays,
  };
}

export async function settleUnansweredDebitsFor(tx: Tx, tenantId: string, today: string): Promise<{ settled: number }> {
  const { where } = await unansweredWhere(tx, tenantId, today);
  const items = await tx.scheduleItem.findMany({
    where,
    include: { batch: { select: { collectionDate: true } } },
    orderBy: { id: 'asc' },
  });
  for (const item of items) {
    await settleItem(tx, tenantId, item, { kind: 'received', method: 'sepa_debit', on: isoOf(item.batch!.collectionDate) }, ['submitted']);
  }
  return { settled: items.length };
}

export function settleUnansweredDebits({ tx, actor, now }: TenantDeps) {
  return settleUnansweredDebitsFor(tx, actor.tenantId, parisToday(now));
}

/** What settling the unanswered debits would do, before a person confirms it: how many debits, how much. */
export async function previewUnansweredDebits({ tx, actor, now }: TenantDeps) {
  const { where, waitingDays } = await unansweredWhere(tx, actor.tenantId, parisToday(now));
  const sum = await tx.scheduleItem.aggregate({ where, _count: { _all: true }, _sum: { amountCents: true } });
  return { count: sum._count._all, totalCents: sum._sum.amountCents ?? 0, waitingDays };
}

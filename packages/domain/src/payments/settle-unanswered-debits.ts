import type { Tx } from '@crm/db';
import { addBusinessDays } from '../calendar/business-days.ts';
import type { TenantDeps } from '../shared/context.ts';
import { dateOf, isoOf, parisToday } from './dates.ts';
import { settleItem } from './record-payment.ts';

/**
 * A submitted debit the bank has not rejected `sepaSettleAfterDays` TARGET2 business days after
 * its collection date counts as paid on its collection date (Payment received, payment.received).
 * The worker runs it periodically for each tenant; `payments.settleUnanswered` runs it on demand.
 */
export async function settleUnansweredDebitsFor(tx: Tx, tenantId: string, today: string): Promise<{ settled: number }> {
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { sepaSettleAfterDays: true } });
  // The latest collection date whose waiting period is over on `today`.
  const latest = addBusinessDays(today, -organisation.sepaSettleAfterDays, 'target2');
  const items = await tx.scheduleItem.findMany({
    where: { tenantId, status: 'submitted', paymentMethod: 'sepa_debit', batch: { status: 'sent', collectionDate: { lte: dateOf(latest) } } },
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

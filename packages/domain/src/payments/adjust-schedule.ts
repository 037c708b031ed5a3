import type { Tx } from '@crm/db';
import { BANK_CUT_OFF_BUSINESS_DAYS } from './batch-selection.ts';
import { cancelItemsAfter } from './create-schedule.ts';
import { dateOf, isoOf } from './dates.ts';
import { catchUpDueDate, cutPeriodAt } from './schedule-rules.ts';

// How a schedule follows its contract after signature. Only `planned` items change: an item in
// a batch is frozen in a file already made (cancelling the batch puts it back to planned and
// applies these rules again, see cancelBatch), and a submitted, paid or rejected one is the
// bank's. Both functions are safe to run again with the same input (event redeliveries), and
// what ends up collected does not depend on the order the worker handles a resumption and a
// termination in (they are separate consumers).

/**
 * A contract terminated on `endDate`: planned items of periods starting after it are cancelled,
 * and the planned item of the period `endDate` falls inside now ends on `endDate`, its amount
 * prorated by days as a partial first period is at creation (schedule-rules.ts, cutPeriodAt),
 * due on the date it already had.
 */
export async function endScheduleAt(tx: Tx, tenantId: string, contractId: string, endDate: string): Promise<{ cancelled: number; prorated: number }> {
  const cancelled = await cancelItemsAfter(tx, tenantId, contractId, endDate);
  const contract = await tx.contract.findFirst({
    where: { id: contractId, tenantId },
    select: { billingFrequency: true, lines: { orderBy: { position: 'asc' }, select: { quantity: true, unitPriceCents: true, vatRateBasisPoints: true } } },
  });
  if (!contract) return { cancelled, prorated: 0 };
  const cut = await tx.scheduleItem.findMany({
    where: { tenantId, contractId, status: 'planned', periodStart: { lte: dateOf(endDate) }, periodEnd: { gt: dateOf(endDate) } },
    select: { id: true, periodStart: true, periodEnd: true, amountCents: true },
  });
  let prorated = 0;
  for (const item of cut) {
    const shorter = cutPeriodAt({ periodStart: isoOf(item.periodStart), periodEnd: isoOf(item.periodEnd), endDate, frequency: contract.billingFrequency, lines: contract.lines });
    if (!shorter) continue;
    const { count } = await tx.scheduleItem.updateMany({
      where: { id: item.id, tenantId, status: 'planned', periodEnd: item.periodEnd },
      // Never more than the item was to cost: a contract's last period may be billed less than its
      // days (the rest of a whole period, schedule-rules.ts), and cutting it must not raise it.
      data: { periodEnd: dateOf(shorter.periodEnd), amountCents: Math.min(shorter.amountCents, item.amountCents) },
    });
    prorated += count;
  }
  return { cancelled, prorated };
}

/**
 * A suspended contract resumed on `resumedOn` (a Paris date): its planned direct debits that the
 * suspension held back, those due before the earliest date a debit can be collected from that
 * day, move together to the contract's next debit day that can be collected (the rule is
 * written and argued in schedule-rules.ts, catchUpDueDate). Items paid by hand (transfer, card,
 * cheque) are not collected by us, nothing held them back, and they keep their dates.
 */
export async function rescheduleHeldItems(tx: Tx, tenantId: string, contractId: string, resumedOn: string): Promise<{ dueDate: string; moved: number }> {
  const contract = await tx.contract.findFirst({ where: { id: contractId, tenantId }, select: { debitDay: true, preNotificationDays: true } });
  if (!contract) return { dueDate: resumedOn, moved: 0 };
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { sepaDebitDay: true, sepaPreNotificationDays: true } });
  const { earliest, dueDate } = catchUpDueDate({
    resumedOn,
    debitDay: contract.debitDay ?? organisation.sepaDebitDay,
    preNotificationDays: contract.preNotificationDays ?? organisation.sepaPreNotificationDays,
    cutOffBusinessDays: BANK_CUT_OFF_BUSINESS_DAYS,
  });
  const { count } = await tx.scheduleItem.updateMany({
    where: { tenantId, contractId, status: 'planned', paymentMethod: 'sepa_debit', dueDate: { lt: dateOf(earliest) } },
    data: { dueDate: dateOf(dueDate) },
  });
  return { dueDate, moved: count };
}

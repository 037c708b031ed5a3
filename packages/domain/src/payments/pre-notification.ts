import type { Tx } from '@crm/db';
import { addDays } from '../calendar/business-days.ts';
import { parisDay } from '../shared/paris-day.ts';
import { dateOf, isoOf } from './dates.ts';

// The debtor's SEPA pre-notification (EPC SDD rulebooks: the creditor tells the debtor the amount
// and date of each debit at least 14 calendar days before it, unless the contract agrees another
// delay; ../shared/notes/french-rules.md §1 and §3). It is sent for a contract's first debit and
// again whenever the amount or the date differs from what the debtor was last told; a re-presented
// debit (attempt > 1) is a new collection and gets its own. Each schedule item records the notice
// that covers it: when it went, how, the amount and date it announced, and the mail that carried it.

/** The timed job that sends them (client-mail/pre-notification-job.ts); a contract's own run is keyed `contract:<id>`. */
export const PRE_NOTIFICATION_JOB_KIND = 'payments.pre_notifications';

export type NoticeChannel = 'email' | 'invoice' | 'task';

/** What an item records of its notice (null fields: none yet). */
export interface NoticeRecord {
  noticeSentAt: Date | null;
  noticeChannel: string | null;
  noticeAmountCents: number | null;
  noticeDueDate: Date | null;
  noticeEffectId: string | null;
  noticeTaskId: string | null;
}

export interface NoticeSettings {
  sepaPreNotificationDays: number;
  sepaRepresentationNoticeDays: number | null;
  sepaScheduleIsNotice: boolean;
}

export const NOTICE_SETTING_COLUMNS = { sepaPreNotificationDays: true, sepaRepresentationNoticeDays: true, sepaScheduleIsNotice: true } as const;

/**
 * Days of notice an item needs: the contract's agreed delay, else the organisation's; a
 * re-presentation may have a shorter one where the organisation's terms say so.
 */
export function noticeDaysFor(item: { attempt: number }, contractDays: number | null, settings: NoticeSettings): number {
  const normal = contractDays ?? settings.sepaPreNotificationDays;
  if (item.attempt > 1 && settings.sepaRepresentationNoticeDays !== null) return Math.min(normal, settings.sepaRepresentationNoticeDays);
  return normal;
}

/** The schedule given at signature is the notice of the planned debits (never of a re-presentation). */
export const scheduleIsNoticeFor = (item: { attempt: number }, settings: NoticeSettings): boolean => settings.sepaScheduleIsNotice && item.attempt === 1;

/** True when the item's notice announced exactly its amount and date (a task not yet done counts: it is on its way). */
export function noticeIsCurrent(item: { amountCents: number; dueDate: Date } & NoticeRecord): boolean {
  return item.noticeChannel !== null && item.noticeAmountCents === item.amountCents && item.noticeDueDate !== null && isoOf(item.noticeDueDate) === isoOf(item.dueDate);
}

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const eur = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')}\u00a0€`;

/**
 * Why a debit may not be collected on `collectionDate` for lack of a notice in time, in French
 * for the person building the batch; null when its notice was sent at least its notice days
 * before. `taskDoneAt`: when the person sent the letter a task asked for (the task's completion).
 */
export function noticeProblem(input: {
  item: { amountCents: number; dueDate: Date; attempt: number } & NoticeRecord;
  days: number;
  collectionDate: string;
  taskDoneAt?: Date | null;
}): string | null {
  const { item, days, collectionDate } = input;
  if (item.noticeChannel === null) return 'Aucune pré-notification envoyée au débiteur';
  if (item.noticeAmountCents !== item.amountCents) {
    return `Montant changé depuis la pré-notification (${eur(item.noticeAmountCents ?? 0)} annoncés, ${eur(item.amountCents)} à prélever) : une nouvelle pré-notification part`;
  }
  if (!item.noticeDueDate || isoOf(item.noticeDueDate) !== isoOf(item.dueDate)) {
    return `Date changée depuis la pré-notification (annoncée pour le ${item.noticeDueDate ? frDate(isoOf(item.noticeDueDate)) : '?'}) : une nouvelle pré-notification part`;
  }
  const sentAt = item.noticeChannel === 'task' ? (input.taskDoneAt ?? null) : item.noticeSentAt;
  if (!sentAt) return 'Pré-notification à envoyer par courrier : la tâche n’est pas encore faite';
  const sentOn = parisDay(sentAt);
  const earliest = addDays(sentOn, days);
  if (earliest > collectionDate) {
    return `Pré-notification envoyée le ${frDate(sentOn)} : avec ${days} jours de préavis, prélevable à partir du ${frDate(earliest)}`;
  }
  return null;
}

/** Records the notice of items (one write; only what the item does not already record for its amount and date). */
export async function recordNotice(
  tx: Tx,
  tenantId: string,
  itemIds: readonly string[],
  notice: { sentAt: Date | null; channel: NoticeChannel; effectId?: string | null; taskId?: string | null; amountCents?: number; dueDate?: string },
): Promise<void> {
  if (itemIds.length === 0) return;
  const items = await tx.scheduleItem.findMany({ where: { tenantId, id: { in: [...itemIds] }, status: 'planned' } });
  for (const item of items) {
    const amountCents = notice.amountCents ?? item.amountCents;
    const dueDate = notice.dueDate ?? isoOf(item.dueDate);
    // An earlier notice of the same amount and date stays the record: the first one told the debtor.
    if (item.noticeChannel !== null && item.noticeAmountCents === amountCents && item.noticeDueDate && isoOf(item.noticeDueDate) === dueDate) continue;
    await tx.scheduleItem.updateMany({
      where: { id: item.id, tenantId, status: 'planned' },
      data: {
        noticeSentAt: notice.sentAt,
        noticeChannel: notice.channel,
        noticeAmountCents: amountCents,
        noticeDueDate: dateOf(dueDate),
        noticeEffectId: notice.effectId ?? null,
        noticeTaskId: notice.taskId ?? null,
      },
    });
  }
}

/**
 * An issued invoice's mail that announced the SEPA debit (amount, date, RUM, ICS: invoice-mail.ts)
 * is the notice of the schedule items it bills: recorded on them, so no second notice goes.
 */
export async function recordInvoiceNotice(tx: Tx, tenantId: string, input: { invoiceId: string; debitDate: string; idempotencyKey: string; now: Date }): Promise<void> {
  const links = await tx.invoiceScheduleItem.findMany({ where: { tenantId, invoiceId: input.invoiceId }, select: { scheduleItemId: true } });
  if (links.length === 0) return;
  const effect = await tx.outgoingEffect.findFirst({ where: { tenantId, idempotencyKey: input.idempotencyKey }, select: { id: true } });
  await recordNotice(
    tx,
    tenantId,
    links.map((l) => l.scheduleItemId),
    { sentAt: input.now, channel: 'invoice', effectId: effect?.id ?? null, dueDate: input.debitDate },
  );
}

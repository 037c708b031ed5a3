import type { Tx } from '@crm/db';
import { z } from 'zod';
import { addDays } from '../calendar/business-days.ts';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import { defineJobKind } from '../jobs/job-kind.ts';
import { dateOf, isoOf } from '../payments/dates.ts';
import {
  NOTICE_SETTING_COLUMNS,
  noticeDaysFor,
  noticeIsCurrent,
  PRE_NOTIFICATION_JOB_KIND,
  recordNotice,
  scheduleIsNoticeFor,
} from '../payments/pre-notification.ts';
import { maskIban } from '../shared/iban-mask.ts';
import { euros, frenchDate, greeting, mailBodies, signature } from './mail-text.ts';

/**
 * Days beyond an item's notice days the notice may leave early: a missed daily run (a worker down
 * over a weekend) still leaves the notice in time, and the batch can be built a few days ahead.
 */
export const NOTICE_LEAD_DAYS = 7;

const PERIOD_WORDS: Record<string, string> = { monthly: 'mois', quarterly: 'trimestre', half_yearly: 'semestre', yearly: 'année' };

type Row = Awaited<ReturnType<typeof dueItems>>[number];

function dueItems(tx: Tx, tenantId: string, horizon: string, contractId: string | undefined) {
  return tx.scheduleItem.findMany({
    where: {
      tenantId,
      status: 'planned',
      paymentMethod: 'sepa_debit',
      dueDate: { lte: dateOf(horizon) },
      mandate: { status: 'active' },
      contract: { status: { notIn: ['suspended', 'cancelled', 'draft', 'sent'] } },
      ...(contractId ? { contractId } : {}),
    },
    include: {
      contract: { select: { number: true, preNotificationDays: true, billingFrequency: true } },
      client: { select: { id: true, kind: true, email: true, firstName: true, lastName: true, displayName: true } },
      mandate: { select: { rum: true, iban: true } },
    },
    orderBy: [{ contractId: 'asc' }, { periodStart: 'asc' }, { attempt: 'asc' }, { id: 'asc' }],
    take: 5_000,
  });
}

/** The mail that tells the debtor what will be debited, when, from which account, under which mandate. */
function noticeMail(row: Row, organisation: { name: string; contactEmail: string | null; sepaCreditorId: string | null }) {
  const person = row.client.kind === 'person' ? [row.client.firstName, row.client.lastName].filter(Boolean).join(' ') : null;
  const due = isoOf(row.dueDate);
  const period = PERIOD_WORDS[row.contract.billingFrequency];
  const what =
    row.attempt > 1
      ? `Le prélèvement de l’échéance du ${frenchDate(isoOf(row.periodStart))} au ${frenchDate(isoOf(row.periodEnd))} n’a pas pu être effectué ; il sera présenté à nouveau.`
      : `Il s’agit de l’échéance du ${frenchDate(isoOf(row.periodStart))} au ${frenchDate(isoOf(row.periodEnd))} de votre contrat ${row.contract.number}.`;
  return {
    recipient: row.client.email!,
    clientId: row.client.id,
    template: 'sepa.pre_notification',
    subject: `Prélèvement SEPA de ${euros(row.amountCents)} le ${frenchDate(due)}`,
    ...mailBodies([
      greeting(person),
      `Nous prélèverons ${euros(row.amountCents)} le ${frenchDate(due)} sur votre compte ${maskIban(row.mandate!.iban)}, ` +
        `au titre du mandat ${row.mandate!.rum}${organisation.sepaCreditorId ? ` (identifiant créancier SEPA ${organisation.sepaCreditorId})` : ''}.`,
      what,
      row.attempt === 1 && period
        ? `Les échéances suivantes du même montant seront prélevées le même jour de chaque ${period} ; nous vous préviendrons si le montant ou la date change.`
        : '',
      'Ce message vaut pré-notification du prélèvement : aucune démarche n’est nécessaire de votre part.',
      'Bien cordialement,',
      signature(organisation),
    ]),
  };
}

/** The member a task goes to when a notice must leave by post: the oldest owner of the organisation. */
async function backOfficeUser(tx: Tx, tenantId: string): Promise<string | null> {
  const member = await tx.membership.findFirst({ where: { tenantId, role: { in: ['owner', 'admin', 'accountant'] } }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }], select: { userId: true } });
  return member?.userId ?? null;
}

const sameDayOfMonth = (a: Date, b: Date) => isoOf(a).slice(8, 10) === isoOf(b).slice(8, 10);

/**
 * Sends the pre-notifications due in a tenant (or of one contract): every planned SEPA debit
 * due within its notice days (plus NOTICE_LEAD_DAYS) whose amount and date no notice announced.
 * A debit of the same amount on the same day of the period as the contract's previous notified
 * one is covered by that notice (it said so) and records it; otherwise a mail goes (one per item,
 * idempotent on its key), or, for a client without an e-mail address, a task asks a person to
 * send it by post (letters come with their own work) and the notice counts from the task's
 * completion. An organisation issuing invoices early leaves the notice to the invoice mail
 * (recordInvoiceNotice) until the notice days are reached; one whose terms make the schedule the
 * notice sends none for planned debits (re-presentations still get theirs). Safe to run again.
 */
export async function sendPreNotifications(
  { tx, tenantId, now, today }: { tx: Tx; tenantId: string; now: Date; today: string },
  options: { contractId?: string } = {},
): Promise<{ mailed: number; tasks: number; covered: number; deferred: number }> {
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: tenantId },
    select: { ...NOTICE_SETTING_COLUMNS, name: true, contactEmail: true, sepaCreditorId: true, invoiceAutoIssue: true, invoiceNoticeDays: true },
  });
  const longest = Math.max(organisation.sepaPreNotificationDays, 30);
  const rows = await dueItems(tx, tenantId, addDays(today, longest + NOTICE_LEAD_DAYS), options.contractId);
  const result = { mailed: 0, tasks: 0, covered: 0, deferred: 0 };
  // The last notified first-presentation item of each contract, as this run leaves it.
  const lastNotified = new Map<string, Row>();
  const previous = async (row: Row): Promise<Row | null> => {
    if (lastNotified.has(row.contractId)) return lastNotified.get(row.contractId)!;
    const found = await tx.scheduleItem.findFirst({
      where: { tenantId, contractId: row.contractId, attempt: 1, noticeChannel: { not: null }, periodStart: { lt: row.periodStart }, status: { not: 'cancelled' } },
      orderBy: [{ periodStart: 'desc' }, { id: 'desc' }],
      include: { contract: { select: { number: true, preNotificationDays: true, billingFrequency: true } }, client: { select: { id: true, kind: true, email: true, firstName: true, lastName: true, displayName: true } }, mandate: { select: { rum: true, iban: true } } },
    });
    return found;
  };
  let taskOwner: string | null | undefined;
  for (const row of rows) {
    if (scheduleIsNoticeFor(row, organisation)) continue;
    const days = noticeDaysFor(row, row.contract.preNotificationDays, organisation);
    const due = isoOf(row.dueDate);
    if (due > addDays(today, days + NOTICE_LEAD_DAYS)) continue;
    if (noticeIsCurrent(row)) {
      if (row.attempt === 1) lastNotified.set(row.contractId, row);
      continue;
    }
    if (row.attempt === 1) {
      const prev = await previous(row);
      if (prev && prev.noticeChannel !== null && prev.noticeAmountCents === row.amountCents && prev.noticeDueDate && sameDayOfMonth(prev.noticeDueDate, row.dueDate)) {
        await recordNotice(tx, tenantId, [row.id], { sentAt: prev.noticeSentAt, channel: prev.noticeChannel as 'email' | 'invoice' | 'task', effectId: prev.noticeEffectId, taskId: prev.noticeTaskId });
        lastNotified.set(row.contractId, { ...row, noticeSentAt: prev.noticeSentAt, noticeChannel: prev.noticeChannel, noticeAmountCents: row.amountCents, noticeDueDate: row.dueDate, noticeEffectId: prev.noticeEffectId, noticeTaskId: prev.noticeTaskId });
        result.covered++;
        continue;
      }
      // The invoice, issued invoiceNoticeDays ahead, will carry the notice: wait for it until the last day.
      if (organisation.invoiceAutoIssue && organisation.invoiceNoticeDays >= days && due > addDays(today, days)) {
        result.deferred++;
        continue;
      }
    }
    const key = `pre_notification:${row.id}:${row.amountCents}:${due}`;
    if (row.client.email) {
      await queueTenantMail(tx, tenantId, { ...noticeMail(row, organisation), idempotencyKey: key, createdBy: `system:${PRE_NOTIFICATION_JOB_KIND}` });
      const effect = await tx.outgoingEffect.findFirst({ where: { tenantId, idempotencyKey: key }, select: { id: true } });
      // Queued now, sent by the worker moments after this transaction commits.
      await recordNotice(tx, tenantId, [row.id], { sentAt: now, channel: 'email', effectId: effect?.id ?? null });
      result.mailed++;
    } else {
      if (taskOwner === undefined) taskOwner = await backOfficeUser(tx, tenantId);
      if (!taskOwner) continue;
      const task = await tx.activity.create({
        data: {
          tenantId,
          kind: 'task',
          subject: `Envoyer par courrier la pré-notification du prélèvement de ${euros(row.amountCents)} du ${frenchDate(due)}`,
          body:
            `${row.client.displayName} n’a pas d’adresse e-mail. Envoyez-lui par courrier : ${euros(row.amountCents)} prélevés le ${frenchDate(due)} ` +
            `sur le compte ${maskIban(row.mandate!.iban)}, mandat ${row.mandate!.rum}${organisation.sepaCreditorId ? `, identifiant créancier SEPA ${organisation.sepaCreditorId}` : ''} ` +
            `(contrat ${row.contract.number}). Marquez la tâche comme faite le jour de l’envoi : le préavis de ${days} jours compte à partir de ce jour.`,
          clientId: row.client.id,
          ownerUserId: taskOwner,
          dueDate: dateOf(today),
          occurredAt: now,
        },
      });
      await recordNotice(tx, tenantId, [row.id], { sentAt: null, channel: 'task', taskId: task.id });
      result.tasks++;
    }
    if (row.attempt === 1) {
      const sent = await tx.scheduleItem.findFirstOrThrow({ where: { id: row.id, tenantId }, include: { contract: { select: { number: true, preNotificationDays: true, billingFrequency: true } }, client: { select: { id: true, kind: true, email: true, firstName: true, lastName: true, displayName: true } }, mandate: { select: { rum: true, iban: true } } } });
      lastNotified.set(row.contractId, sent);
    }
  }
  return result;
}

/**
 * Daily per organisation (06:30 Paris, after the invoices of 06:00 that may carry the notice),
 * and once for a contract as soon as its schedule is written or moved (key `contract:<id>`).
 */
export const PRE_NOTIFICATIONS_JOB = defineJobKind({
  kind: PRE_NOTIFICATION_JOB_KIND,
  label: 'Pré-notifications des prélèvements aux débiteurs',
  payload: z.strictObject({ contractId: z.uuid().optional() }),
  recurring: { key: 'daily', rule: 'daily 06:30', payload: {} },
  run({ tx, tenantId, now, today }, payload) {
    return sendPreNotifications({ tx, tenantId, now, today }, payload.contractId ? { contractId: payload.contractId } : {});
  },
});

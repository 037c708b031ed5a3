import type { Tx } from '@crm/db';
import { addDays } from '../calendar/business-days.ts';
import { BANK_CUT_OFF_BUSINESS_DAYS, collectionDateRefusal } from './collection-date.ts';

export { BANK_CUT_OFF_BUSINESS_DAYS };
import { sepaDebitProblems } from '../sepa/sepa-debit-checks.ts';
import { badRequest } from '../shared/errors.ts';
import { DEBTOR_ADDRESS_COLUMNS, sepaDebitOf } from './batch-file.ts';
import { dateOf, isoOf } from './dates.ts';
import { NOTICE_SETTING_COLUMNS, noticeDaysFor, noticeProblem, scheduleIsNoticeFor } from './pre-notification.ts';
import { expireDormantMandates, isLapsedFor, mandateLapseDate, MANDATE_DORMANCY_MONTHS } from './mandates.ts';

/**
 * Refuses a collection date that is not a bank business day (TARGET2) or leaves the bank less than
 * its cut-off (the file must reach it at least one bank business day before; today counts), saying
 * why in plain French with the next possible day (collection-date.ts).
 */
export function assertCollectionDate(collectionDate: string, today: string): void {
  const refusal = collectionDateRefusal(collectionDate, today);
  if (refusal) throw badRequest(refusal, { collectionDate: [refusal] });
}

export interface SelectedItem {
  id: string;
  contractId: string;
  contractNumber: string;
  clientId: string;
  clientName: string;
  mandateId: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  amountCents: number;
  rum: string;
  /** 2 and more: a re-presentation. */
  attempt: number;
}

/** A planned debit the batch leaves out because the bank would refuse it, and why (French, for the user). */
export interface ExcludedItem extends SelectedItem {
  reasons: string[];
}

export interface BatchSelection {
  collectionDate: string;
  scheme: 'CORE' | 'B2B';
  items: SelectedItem[];
  totalCents: number;
  /** Planned debits due by that date left out because their debtor would not have been notified in time. */
  tooLateForPreNotification: { count: number; totalCents: number };
  /** Planned debits due by that date left out because their data cannot make an entry the bank accepts. */
  excluded: ExcludedItem[];
  /**
   * Planned debits due by that date refused because their debtor was not pre-notified in time
   * (none sent, amount or date changed since, or sent less than the notice days before), with why.
   */
  notNotified: ExcludedItem[];
}

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Labels for the file builder's messages that do not say whose field they are about. */
const FIELD_LABELS: Record<string, string> = {
  'debtor.iban': 'IBAN du débiteur',
  'debtor.bic': 'BIC du débiteur',
  'debtor.address.townName': 'Adresse du débiteur',
  'debtor.address.country': 'Adresse du débiteur',
};

/**
 * The planned SEPA debits a batch for `collectionDate` takes: due on or before that date (a
 * due date on a weekend is collected on the next collection date), of an active mandate of the
 * scheme, whose contract is not suspended or cancelled, and whose debtor was pre-notified in
 * time: its recorded notice (pre-notification.ts) announced its amount and date at least its
 * notice days (the contract's, else the organisation's) before the collection date; a debit
 * without one is refused into `notNotified` with why. Where the organisation's terms make the
 * schedule the notice, a planned debit needs its notice days between today and the date instead.
 * Dormant mandates are expired first, so their items stay out. A debit whose entry the bank would
 * refuse (a mandate lapsed by the collection date, a debtor outside the EEA without an address,
 * an IBAN no longer valid...: the file builder's own checks, on the debit the file would carry)
 * is left out with its reasons, and the rest goes on: one debtor never blocks a batch.
 */
export async function selectBatchItems(
  tx: Tx,
  tenantId: string,
  today: string,
  input: { collectionDate: string; scheme: 'CORE' | 'B2B' },
): Promise<BatchSelection> {
  assertCollectionDate(input.collectionDate, today);
  await expireDormantMandates(tx, tenantId, today);
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { ...NOTICE_SETTING_COLUMNS, sepaFormat: true } });
  const rows = await tx.scheduleItem.findMany({
    where: {
      tenantId,
      status: 'planned',
      paymentMethod: 'sepa_debit',
      dueDate: { lte: dateOf(input.collectionDate) },
      mandate: { status: 'active', scheme: input.scheme },
      contract: { status: { notIn: ['suspended', 'cancelled', 'draft', 'sent'] } },
    },
    include: {
      contract: { select: { number: true, preNotificationDays: true } },
      client: { select: { displayName: true, ...DEBTOR_ADDRESS_COLUMNS } },
      mandate: true,
    },
    orderBy: [{ dueDate: 'asc' }, { contractId: 'asc' }, { periodStart: 'asc' }, { id: 'asc' }],
  });
  const items: SelectedItem[] = [];
  const excluded: ExcludedItem[] = [];
  const notNotified: ExcludedItem[] = [];
  const late = { count: 0, totalCents: 0 };
  const taskIds = rows.flatMap((row) => (row.noticeTaskId ? [row.noticeTaskId] : []));
  const tasks = taskIds.length > 0 ? await tx.activity.findMany({ where: { tenantId, id: { in: taskIds } }, select: { id: true, doneAt: true } }) : [];
  const taskDone = new Map(tasks.map((task) => [task.id, task.doneAt]));
  for (const row of rows) {
    const notice = noticeDaysFor(row, row.contract.preNotificationDays, organisation);
    let noticeMissing: string | null = null;
    if (scheduleIsNoticeFor(row, organisation)) {
      // The schedule handed over at signature is the notice: the debit is collectable once its notice days have run from today.
      if (addDays(today, notice) > input.collectionDate) {
        late.count++;
        late.totalCents += row.amountCents;
        continue;
      }
    } else {
      noticeMissing = noticeProblem({ item: row, days: notice, collectionDate: input.collectionDate, taskDoneAt: row.noticeTaskId ? (taskDone.get(row.noticeTaskId) ?? null) : null });
    }
    const mandate = row.mandate!;
    const reasons: string[] = [];
    if (isLapsedFor(mandate, input.collectionDate)) {
      const lastUse = mandate.lastCollectionOn ? `dernier prélèvement le ${frDate(isoOf(mandate.lastCollectionOn))}` : `signé le ${frDate(isoOf(mandate.signedOn))} et jamais utilisé`;
      reasons.push(
        `Mandat caduc à cette date : ${lastUse}, plus de ${MANDATE_DORMANCY_MONTHS} mois avant le ${frDate(input.collectionDate)} ` +
          `(utilisable jusqu'au ${frDate(mandateLapseDate(mandate))}) ; un nouveau mandat est nécessaire`,
      );
    }
    const debit = sepaDebitOf(
      { endToEndId: 'E2E-CHECK', sequenceType: mandate.recurrent ? 'RCUR' : 'OOFF', amountCents: row.amountCents, periodStart: row.periodStart, periodEnd: row.periodEnd, contractNumber: row.contract.number },
      mandate,
      row.client,
      input.collectionDate,
    );
    for (const [field, messages] of Object.entries(sepaDebitProblems(debit))) {
      for (const message of messages ?? []) reasons.push(FIELD_LABELS[field] && !message.startsWith(FIELD_LABELS[field]) ? `${FIELD_LABELS[field]} : ${message}` : message);
    }
    const selected: SelectedItem = {
      id: row.id,
      contractId: row.contractId,
      contractNumber: row.contract.number,
      clientId: row.clientId,
      clientName: row.client.displayName,
      mandateId: row.mandateId!,
      periodStart: isoOf(row.periodStart),
      periodEnd: isoOf(row.periodEnd),
      dueDate: isoOf(row.dueDate),
      amountCents: row.amountCents,
      rum: mandate.rum,
      attempt: row.attempt,
    };
    if (noticeMissing) notNotified.push({ ...selected, reasons: [noticeMissing, ...reasons] });
    else if (reasons.length > 0) excluded.push({ ...selected, reasons });
    else items.push(selected);
  }
  return {
    collectionDate: input.collectionDate,
    scheme: input.scheme,
    items,
    totalCents: items.reduce((sum, item) => sum + item.amountCents, 0),
    tooLateForPreNotification: late,
    excluded,
    notNotified,
  };
}

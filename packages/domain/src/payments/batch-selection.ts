import type { Tx } from '@crm/db';
import { addBusinessDays, addDays, isBusinessDay } from '../calendar/business-days.ts';
import { sepaDebitProblems } from '../sepa/sepa-debit-checks.ts';
import { badRequest } from '../shared/errors.ts';
import { DEBTOR_ADDRESS_COLUMNS, sepaDebitOf } from './batch-file.ts';
import { dateOf, isoOf } from './dates.ts';
import { expireDormantMandates, isLapsedFor, mandateLapseDate, MANDATE_DORMANCY_MONTHS } from './mandates.ts';

/** TARGET2 business days the bank needs the file before the collection date. */
export const BANK_CUT_OFF_BUSINESS_DAYS = 1;

/**
 * Refuses a collection date that is not a TARGET2 business day or leaves the bank less than its
 * cut-off (the file must reach it at least one TARGET2 business day before; today counts).
 */
export function assertCollectionDate(collectionDate: string, today: string): void {
  if (!isBusinessDay(collectionDate, 'target2')) {
    throw badRequest('La date de prélèvement doit être un jour ouvré TARGET2', {
      collectionDate: ['Pas un jour ouvré TARGET2 (week-end ou jour de fermeture)'],
    });
  }
  if (addBusinessDays(collectionDate, -BANK_CUT_OFF_BUSINESS_DAYS, 'target2') < today) {
    throw badRequest('Trop tard pour cette date : la banque doit recevoir le fichier un jour ouvré TARGET2 avant', {
      collectionDate: ['Délai de remise à la banque dépassé pour cette date'],
    });
  }
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
 * scheme, whose contract is not suspended or cancelled, and whose pre-notification period (the
 * contract's, else the organisation's, in calendar days before the collection date) has passed.
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
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { sepaPreNotificationDays: true, sepaFormat: true } });
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
  const late = { count: 0, totalCents: 0 };
  for (const row of rows) {
    const notice = row.contract.preNotificationDays ?? organisation.sepaPreNotificationDays;
    if (addDays(today, notice) > input.collectionDate) {
      late.count++;
      late.totalCents += row.amountCents;
      continue;
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
    };
    if (reasons.length > 0) excluded.push({ ...selected, reasons });
    else items.push(selected);
  }
  return {
    collectionDate: input.collectionDate,
    scheme: input.scheme,
    items,
    totalCents: items.reduce((sum, item) => sum + item.amountCents, 0),
    tooLateForPreNotification: late,
    excluded,
  };
}

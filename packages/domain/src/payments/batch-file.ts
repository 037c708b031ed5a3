import type { Tx } from '@crm/db';
import { sepaAddressRequired, toSepaPostalAddress, type StoredAddress } from '../sepa/sepa-address.ts';
import { buildSepaDirectDebitFile } from '../sepa/sepa-direct-debit-file.ts';
import { type SepaDirectDebit, type SepaDirectDebitFile, type SepaPainVersion, type SepaSequenceType } from '../sepa/sepa-direct-debit-types.ts';
import { isValidCreditorIdentifier, isValidSepaIban } from '../sepa/sepa-identifiers.ts';
import { badRequest, notFound } from '../shared/errors.ts';
import { isoOf } from './dates.ts';

export interface CreditorSettings extends StoredAddress {
  name: string;
  legalName: string | null;
  sepaCreditorId: string | null;
  creditorIban: string | null;
  creditorBic: string | null;
  sepaFormat: string;
}

/** What a file needs of the organisation, read with every batch. */
export const CREDITOR_COLUMNS = {
  name: true,
  legalName: true,
  sepaCreditorId: true,
  creditorIban: true,
  creditorBic: true,
  sepaFormat: true,
  addressLine1: true,
  addressLine2: true,
  postalCode: true,
  city: true,
  country: true,
} as const;

/** The organisation must be a SEPA creditor before anything is collected (with its address when its bank is outside the EEA). */
export function assertCreditor(org: CreditorSettings): void {
  const fieldErrors: Record<string, string[]> = {};
  if (!org.sepaCreditorId || !isValidCreditorIdentifier(org.sepaCreditorId)) fieldErrors.sepaCreditorId = ['ICS manquant ou invalide'];
  if (!org.creditorIban || !isValidSepaIban(org.creditorIban)) fieldErrors.creditorIban = ['IBAN créancier manquant ou invalide'];
  else if (sepaAddressRequired({ iban: org.creditorIban, bic: org.creditorBic }) && !toSepaPostalAddress(org)) {
    fieldErrors.address = ["Adresse de l'organisation requise : sa banque est hors de l'EEE"];
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw badRequest(
      'Renseignez un identifiant créancier SEPA (ICS), un IBAN créancier valides (et l’adresse si la banque est hors de l’EEE) dans les paramètres de l’organisation',
      fieldErrors,
    );
  }
}

/** The creditor block of a file. */
export function sepaCreditorOf(org: CreditorSettings) {
  return {
    name: org.legalName ?? org.name,
    iban: org.creditorIban!,
    bic: org.creditorBic,
    creditorId: org.sepaCreditorId!,
    address: sepaAddressRequired({ iban: org.creditorIban!, bic: org.creditorBic }) ? toSepaPostalAddress(org) : null,
  };
}

/** What a debit needs of its mandate. */
export interface DebitMandate {
  rum: string;
  signedOn: Date;
  scheme: 'CORE' | 'B2B';
  debtorName: string;
  iban: string;
  bic: string | null;
  originalRum: string | null;
  originalIban: string | null;
}

/**
 * The debit of a schedule item as the file says it: its mandate (and the amendment it still
 * carries), the debtor's postal address when the rules ask for it (their bank outside the EEA:
 * the client's address), the contract and the period in the remittance information. One
 * function for the batch's checks and for the file, so that what was checked is what is written.
 */
export function sepaDebitOf(
  item: { endToEndId: string; sequenceType: SepaSequenceType; amountCents: number; periodStart: Date; periodEnd: Date; contractNumber: string },
  mandate: DebitMandate,
  debtorAddress: StoredAddress,
  collectionDate: string,
): SepaDirectDebit {
  const amended = mandate.originalRum !== null || mandate.originalIban !== null;
  const bankChanged = mandate.originalIban !== null && !sameBank(mandate.originalIban, mandate.iban);
  return {
    endToEndId: item.endToEndId,
    amountCents: item.amountCents,
    sequenceType: item.sequenceType,
    collectionDate,
    localInstrument: mandate.scheme,
    mandateId: mandate.rum,
    mandateSignatureDate: isoOf(mandate.signedOn),
    amendment: amended
      ? {
          originalMandateId: mandate.originalRum,
          originalDebtorIban: mandate.originalIban !== null && !bankChanged ? mandate.originalIban : null,
          debtorBankChanged: bankChanged,
        }
      : null,
    debtor: {
      name: mandate.debtorName,
      iban: mandate.iban,
      bic: mandate.bic,
      address: sepaAddressRequired({ iban: mandate.iban, bic: mandate.bic }) ? toSepaPostalAddress(debtorAddress) : null,
    },
    remittanceInformation: `Contrat ${item.contractNumber} periode du ${isoOf(item.periodStart)} au ${isoOf(item.periodEnd)}`,
  };
}

/** The client columns a debtor's address comes from. */
export const DEBTOR_ADDRESS_COLUMNS = { addressLine1: true, addressLine2: true, postalCode: true, city: true, country: true } as const;

/** Two IBANs of one country with the same bank code (France: the 5 digits after the check digits). */
const sameBank = (a: string, b: string) => a.slice(0, 2) === b.slice(0, 2) && a.slice(4, 9) === b.slice(4, 9);

/**
 * The pain.008 file of a batch, made from what the batch froze: its number, MsgId, collection
 * date, format and creation instant, and its items' EndToEndIds, amounts and sequence types,
 * with the mandates (which cannot be amended while their batch waits to be sent) and the
 * organisation's creditor details. No clock: the same batch gives the same bytes.
 */
export async function renderBatchFile(tx: Tx, tenantId: string, batchId: string): Promise<SepaDirectDebitFile & { fileName: string }> {
  const batch = await tx.sepaBatch.findFirst({ where: { id: batchId, tenantId } });
  if (!batch) throw notFound('Lot');
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: CREDITOR_COLUMNS });
  assertCreditor(organisation);
  const items = await tx.scheduleItem.findMany({
    where: { tenantId, batchId: batch.id },
    include: { mandate: true, contract: { select: { number: true } }, client: { select: DEBTOR_ADDRESS_COLUMNS } },
    orderBy: { endToEndId: 'asc' },
  });
  const collectionDate = isoOf(batch.collectionDate);
  const debits: SepaDirectDebit[] = items.map((item) =>
    sepaDebitOf(
      { endToEndId: item.endToEndId!, sequenceType: item.sequenceType!, amountCents: item.amountCents, periodStart: item.periodStart, periodEnd: item.periodEnd, contractNumber: item.contract.number },
      item.mandate!,
      item.client,
      collectionDate,
    ),
  );
  const file = buildSepaDirectDebitFile({
    version: batch.format as SepaPainVersion,
    messageId: batch.messageId,
    createdAt: batch.createdAt,
    creditor: sepaCreditorOf(organisation),
    debits,
  });
  return { ...file, fileName: `${batch.messageId}.xml` };
}

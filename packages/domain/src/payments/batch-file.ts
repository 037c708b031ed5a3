import type { Tx } from '@crm/db';
import { buildSepaDirectDebitFile, type SepaDirectDebit, type SepaDirectDebitFile, type SepaPainVersion } from '../sepa/sepa-direct-debit-file.ts';
import { isValidCreditorIdentifier, isValidSepaIban } from '../sepa/sepa-identifiers.ts';
import { badRequest, notFound } from '../shared/errors.ts';
import { isoOf } from './dates.ts';

export interface CreditorSettings {
  name: string;
  legalName: string | null;
  sepaCreditorId: string | null;
  creditorIban: string | null;
  creditorBic: string | null;
  sepaFormat: string;
}

/** The organisation must be a SEPA creditor before anything is collected. */
export function assertCreditor(org: CreditorSettings): void {
  const fieldErrors: Record<string, string[]> = {};
  if (!org.sepaCreditorId || !isValidCreditorIdentifier(org.sepaCreditorId)) fieldErrors.sepaCreditorId = ['ICS manquant ou invalide'];
  if (!org.creditorIban || !isValidSepaIban(org.creditorIban)) fieldErrors.creditorIban = ['IBAN créancier manquant ou invalide'];
  if (Object.keys(fieldErrors).length > 0) {
    throw badRequest(
      'Renseignez un identifiant créancier SEPA (ICS) et un IBAN créancier valides dans les paramètres de l’organisation',
      fieldErrors,
    );
  }
}

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
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: tenantId },
    select: { name: true, legalName: true, sepaCreditorId: true, creditorIban: true, creditorBic: true, sepaFormat: true },
  });
  assertCreditor(organisation);
  const items = await tx.scheduleItem.findMany({
    where: { tenantId, batchId: batch.id },
    include: { mandate: true, contract: { select: { number: true } } },
    orderBy: { endToEndId: 'asc' },
  });
  const collectionDate = isoOf(batch.collectionDate);
  const debits: SepaDirectDebit[] = items.map((item) => {
    const mandate = item.mandate!;
    const amended = mandate.originalRum !== null || mandate.originalIban !== null;
    const bankChanged = mandate.originalIban !== null && !sameBank(mandate.originalIban, mandate.iban);
    return {
      endToEndId: item.endToEndId!,
      amountCents: item.amountCents,
      sequenceType: item.sequenceType!,
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
      debtor: { name: mandate.debtorName, iban: mandate.iban, bic: mandate.bic },
      remittanceInformation: `Contrat ${item.contract.number} periode du ${isoOf(item.periodStart)} au ${isoOf(item.periodEnd)}`,
    };
  });
  const file = buildSepaDirectDebitFile({
    version: batch.format as SepaPainVersion,
    messageId: batch.messageId,
    createdAt: batch.createdAt,
    creditor: {
      name: organisation.legalName ?? organisation.name,
      iban: organisation.creditorIban!,
      bic: organisation.creditorBic,
      creditorId: organisation.sepaCreditorId!,
    },
    debits,
  });
  return { ...file, fileName: `${batch.messageId}.xml` };
}

import type { FieldErrors } from '../shared/errors.ts';
import { sepaAddressRequired } from './sepa-address.ts';
import { sepaIdentifierProblem, toSepaText } from './sepa-charset.ts';
import {
  SEPA_LOCAL_INSTRUMENTS,
  SEPA_SEQUENCE_TYPES,
  type SepaDirectDebit,
  type SepaLocalInstrument,
  type SepaPostalAddress,
} from './sepa-direct-debit-types.ts';
import {
  isValidCreditorIdentifier,
  isValidNormalizedSepaIban,
  isValidSepaBic,
  isValidSepaIban,
  normalizeCreditorIdentifier,
  normalizeSepaBic,
  normalizeSepaIban,
} from './sepa-identifiers.ts';

// What the pain.008 XSD cannot check, checked here (EPC implementation guidelines): the Latin
// character set, lengths, identifiers' check digits, amounts, dates, addresses the EPC requires,
// amendment rules. Messages in French, keyed by the field's path ("debits.12.debtor.iban").

const MAX_AMOUNT_CENTS = 99_999_999_999; // 999,999,999.99 EUR (EPC AT-06)
const MAX_REPORTED_ERRORS = 100;

/** Problems found so far, keyed by field; after MAX_REPORTED_ERRORS they are counted, not kept. */
export class Problems {
  readonly errors: FieldErrors = {};
  count = 0;
  add(path: string, message: string): void {
    this.count++;
    if (this.count > MAX_REPORTED_ERRORS) return;
    (this.errors[path] ??= []).push(message);
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date written YYYY-MM-DD (arithmetic, no Date object: it runs twice per debit). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

export type DateCheck = (value: string) => boolean;

export function checkAddress(problems: Problems, path: string, address: SepaPostalAddress | null | undefined): void {
  if (!address) return;
  if (!/^[A-Z]{2}$/.test(address.country.toUpperCase())) problems.add(`${path}.country`, 'Code pays invalide (ISO 3166, 2 lettres)');
  if (toSepaText(address.townName ?? '').length === 0) problems.add(`${path}.townName`, 'Ville requise');
}

/** The EPC rule (sepa-address.ts): a party whose bank is outside the EEA travels with its address. */
export function checkRequiredAddress(problems: Problems, path: string, label: string, party: { iban: string; bic?: string | null; address?: SepaPostalAddress | null }): void {
  // An IBAN or BIC refused as such is the problem, not the address.
  if (!party.address && sepaAddressRequired(party) && isValidSepaIban(party.iban) && (!party.bic || isValidSepaBic(party.bic))) {
    problems.add(path, `Adresse ${label} requise (ville et pays au moins) : sa banque est hors de l'EEE (${normalizeSepaIban(party.iban).slice(0, 2) || '?'})`);
  }
}

export function checkIdentifier(problems: Problems, path: string, label: string, value: string): void {
  const problem = sepaIdentifierProblem(value);
  if (problem) problems.add(path, `${label} invalide : ${problem}`);
}

/** A debit as the writer needs it: normalised identifiers, texts in the SEPA set and cut to EPC lengths. */
export interface CheckedDebit {
  endToEndId: string;
  amountCents: number;
  localInstrument: SepaLocalInstrument;
  mandateId: string;
  mandateSignatureDate: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  debtorAddress: SepaPostalAddress | null | undefined;
  remittance: string;
  amendment: {
    originalMandateId: string | null;
    originalCreditorName: string | null;
    originalCreditorId: string | null;
    originalDebtorIban: string | null;
    debtorBankChanged: boolean;
  } | null;
}

function checkAmendment(problems: Problems, at: string, debit: SepaDirectDebit, debtorIban: string): CheckedDebit['amendment'] {
  const a = debit.amendment;
  if (!a) return null;
  if (a.originalMandateId) {
    checkIdentifier(problems, `${at}amendment.originalMandateId`, 'Ancienne RUM', a.originalMandateId);
    if (a.originalMandateId === debit.mandateId) problems.add(`${at}amendment.originalMandateId`, "L'ancienne RUM est identique à la nouvelle");
  }
  const originalCreditorId = a.originalCreditorId ? normalizeCreditorIdentifier(a.originalCreditorId) : null;
  if (originalCreditorId !== null && !isValidCreditorIdentifier(originalCreditorId)) {
    problems.add(`${at}amendment.originalCreditorId`, 'Ancien identifiant créancier SEPA (ICS) invalide');
  }
  const originalDebtorIban = a.originalDebtorIban ? normalizeSepaIban(a.originalDebtorIban) : null;
  if (a.originalDebtorIban) {
    if (a.debtorBankChanged) problems.add(`${at}amendment.originalDebtorIban`, "Changement de banque (SMNDA) : l'ancien IBAN ne se transmet pas");
    if (!isValidSepaIban(a.originalDebtorIban)) problems.add(`${at}amendment.originalDebtorIban`, 'Ancien IBAN invalide');
    else if (originalDebtorIban === debtorIban) problems.add(`${at}amendment.originalDebtorIban`, "L'ancien IBAN est identique au nouveau");
  }
  if (!a.originalMandateId && !a.originalCreditorId && !a.originalCreditorName && !a.originalDebtorIban && !a.debtorBankChanged) {
    problems.add(`${at}amendment`, 'Modification du mandat sans aucun changement indiqué');
  }
  return {
    originalMandateId: a.originalMandateId || null,
    originalCreditorName: a.originalCreditorName ? toSepaText(a.originalCreditorName, 70) : null,
    originalCreditorId,
    originalDebtorIban,
    debtorBankChanged: a.debtorBankChanged === true,
  };
}

/**
 * One debit checked (everything but its uniqueness in the file), each problem added under `at` +
 * its field ("debits.12." + "debtor.iban"); what the writer needs when it has none, else null.
 */
export function checkDebit(problems: Problems, at: string, debit: SepaDirectDebit, isDate: DateCheck): CheckedDebit | null {
  const before = problems.count;
  checkIdentifier(problems, `${at}endToEndId`, 'Référence de bout en bout (EndToEndId)', debit.endToEndId);

  if (!Number.isSafeInteger(debit.amountCents) || debit.amountCents < 1 || debit.amountCents > MAX_AMOUNT_CENTS) {
    problems.add(`${at}amountCents`, 'Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR');
  }
  if (!SEPA_SEQUENCE_TYPES.includes(debit.sequenceType)) problems.add(`${at}sequenceType`, 'Type de séquence invalide (FRST, RCUR, OOFF ou FNAL)');
  const localInstrument = debit.localInstrument ?? 'CORE';
  if (!SEPA_LOCAL_INSTRUMENTS.includes(localInstrument)) problems.add(`${at}localInstrument`, 'Instrument invalide (CORE ou B2B)');
  if (!isDate(debit.collectionDate)) problems.add(`${at}collectionDate`, "Date d'échéance invalide (AAAA-MM-JJ)");

  checkIdentifier(problems, `${at}mandateId`, 'Référence unique de mandat (RUM)', debit.mandateId);
  if (!isDate(debit.mandateSignatureDate)) problems.add(`${at}mandateSignatureDate`, 'Date de signature du mandat invalide (AAAA-MM-JJ)');
  else if (isDate(debit.collectionDate) && debit.mandateSignatureDate > debit.collectionDate) {
    problems.add(`${at}mandateSignatureDate`, "Mandat signé après la date d'échéance");
  }

  const debtor = debit.debtor;
  const debtorName = toSepaText(debtor.name, 70);
  if (!debtorName) problems.add(`${at}debtor.name`, 'Nom du débiteur requis');
  const debtorIban = normalizeSepaIban(debtor.iban);
  if (!isValidNormalizedSepaIban(debtorIban)) problems.add(`${at}debtor.iban`, 'IBAN invalide');
  const debtorBic = debtor.bic ? normalizeSepaBic(debtor.bic) : null;
  if (debtorBic !== null && !isValidSepaBic(debtorBic)) problems.add(`${at}debtor.bic`, 'BIC invalide');
  checkAddress(problems, `${at}debtor.address`, debtor.address);
  checkRequiredAddress(problems, `${at}debtor.address`, 'du débiteur', debtor);
  const amendment = checkAmendment(problems, at, debit, debtorIban);

  if (problems.count !== before) return null;
  return {
    endToEndId: debit.endToEndId,
    amountCents: debit.amountCents,
    localInstrument,
    mandateId: debit.mandateId,
    mandateSignatureDate: debit.mandateSignatureDate,
    debtorName,
    debtorIban,
    debtorBic,
    debtorAddress: debtor.address,
    remittance: debit.remittanceInformation ? toSepaText(debit.remittanceInformation, 140) : '',
    amendment,
  };
}

/**
 * What would make the bank refuse this debit, keyed by its field ("debtor.address"), in French;
 * empty when nothing would. The file builder applies the same checks, so a batch can leave out
 * the debits that have problems instead of failing whole. The same for both pain.008 versions:
 * the version changes how a debit is written, never whether it is accepted.
 */
export function sepaDebitProblems(debit: SepaDirectDebit): FieldErrors {
  const problems = new Problems();
  checkDebit(problems, '', debit, isIsoDate);
  return problems.errors;
}

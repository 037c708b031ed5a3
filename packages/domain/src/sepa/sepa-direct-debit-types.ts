// The typed input and output of a SEPA direct debit initiation file (pain.008), shared by the
// checks (sepa-debit-checks.ts), the XML writer (sepa-xml-writer.ts) and the file's layout
// (sepa-direct-debit-file.ts).

export type SepaPainVersion = 'pain.008.001.08' | 'pain.008.001.02';
export type SepaSequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';
export type SepaLocalInstrument = 'CORE' | 'B2B';

export const SEPA_SEQUENCE_TYPES: readonly SepaSequenceType[] = ['FRST', 'RCUR', 'OOFF', 'FNAL'];
export const SEPA_LOCAL_INSTRUMENTS: readonly SepaLocalInstrument[] = ['CORE', 'B2B'];

/** A structured address (EPC: structured or hybrid from November 2026; town and country always). */
export interface SepaPostalAddress {
  streetName?: string | null;
  buildingNumber?: string | null;
  postalCode?: string | null;
  townName: string;
  /** ISO 3166 alpha-2. */
  country: string;
  /** What the structured elements cannot hold (a building, a post box): one line of the hybrid form. */
  addressLine?: string | null;
}

/**
 * What changed on the mandate since the last collection (EPC AT-24). Give only what changed:
 * a new RUM (original mandate id), a new creditor identifier or name, a new account at the same
 * bank (original IBAN) or a new bank (`debtorBankChanged`: 'SMNDA', the original IBAN unknown).
 */
export interface SepaMandateAmendment {
  originalMandateId?: string | null;
  originalCreditorId?: string | null;
  originalCreditorName?: string | null;
  originalDebtorIban?: string | null;
  debtorBankChanged?: boolean;
}

export interface SepaDebtor {
  name: string;
  iban: string;
  bic?: string | null;
  address?: SepaPostalAddress | null;
}

export interface SepaDirectDebit {
  /** Unique in the file; the bank's returns name the debit by it. */
  endToEndId: string;
  amountCents: number;
  sequenceType: SepaSequenceType;
  /** Requested collection date, YYYY-MM-DD. */
  collectionDate: string;
  /** CORE by default. */
  localInstrument?: SepaLocalInstrument;
  /** Unique mandate reference (RUM). */
  mandateId: string;
  /** YYYY-MM-DD. */
  mandateSignatureDate: string;
  amendment?: SepaMandateAmendment | null;
  debtor: SepaDebtor;
  /** Unstructured remittance information, cut to 140 characters. */
  remittanceInformation?: string | null;
}

export interface SepaCreditor {
  name: string;
  iban: string;
  bic?: string | null;
  /** Creditor identifier (ICS). */
  creditorId: string;
  address?: SepaPostalAddress | null;
}

export interface SepaDirectDebitFileInput {
  /** pain.008.001.08 by default. */
  version?: SepaPainVersion;
  messageId: string;
  /** The file's creation date-time (an input, never "now", so that a file can be made again identically). */
  createdAt: string | Date;
  creditor: SepaCreditor;
  /** Defaults to the creditor's name. */
  initiatingPartyName?: string | null;
  /** Adds BtchBookg when given. */
  batchBooking?: boolean;
  /**
   * PmtInfId of each block, keyed by `paymentInfoKey()` ("CORE/FRST/2026-12-05"); a block not
   * named here gets `<messageId>-<n>` (n from 1, in block order).
   */
  paymentInfoIds?: Readonly<Record<string, string>>;
  /** The EPC guidelines forbid CORE and B2B in one message; set only for a bank that accepts it. */
  allowMixedLocalInstruments?: boolean;
  debits: readonly SepaDirectDebit[];
}

export interface SepaPaymentInfoSummary {
  paymentInfoId: string;
  localInstrument: SepaLocalInstrument;
  sequenceType: SepaSequenceType;
  collectionDate: string;
  numberOfTransactions: number;
  controlSumCents: number;
  endToEndIds: string[];
}

export interface SepaDirectDebitFileSummary {
  version: SepaPainVersion;
  messageId: string;
  numberOfTransactions: number;
  controlSumCents: number;
  paymentInfos: SepaPaymentInfoSummary[];
}

export interface SepaDirectDebitFile extends SepaDirectDebitFileSummary {
  xml: string;
}

/** The block key of a debit: one PmtInf per local instrument, sequence type and collection date. */
export const paymentInfoKey = (localInstrument: SepaLocalInstrument, sequenceType: SepaSequenceType, collectionDate: string): string =>
  `${localInstrument}/${sequenceType}/${collectionDate}`;

import { badRequest } from '../shared/errors.ts';
import { hasForbiddenCharacters, isSaneDay } from '../shared/input-rules.ts';
import { sepaReasonOf } from './sepa-reason-codes.ts';

// What the bank says back about the debits of our files, read from any of the formats banks
// send, into one shape. Pure: the payments domain matches the lines to its schedule items by
// EndToEndId (or the blocks by PmtInfId) and decides what to do.

export type BankReturnFileKind = 'pain.002.001.03' | 'pain.002.001.10' | 'camt.054.001.02' | 'camt.054.001.08' | 'csv';

/**
 * rejected: refused or returned (R-transaction), with its ISO reason code (AM04, MD06...);
 * settled: the money is on the creditor's account (ACSC, a booked credit);
 * accepted: taken by the bank, not settled yet (pain.002 ACCP, ACTC, ACSP, ACWC).
 */
export type BankReturnStatus = 'rejected' | 'settled' | 'accepted';

export interface BankReturnLine {
  endToEndId: string;
  status: BankReturnStatus;
  reasonCode?: string;
  amountCents?: number;
  /** YYYY-MM-DD: booking date (camt.054), requested collection date (pain.002), the CSV's date. */
  date?: string;
}

/** A status given for a whole payment block (pain.002 PmtInfSts) with no transaction detail. */
export interface BankReturnBlockStatus {
  paymentInfoId: string;
  status: BankReturnStatus;
  reasonCode?: string;
}

/** Something in the file that could not become a line: where, and why (French, for the back office). */
export interface BankReturnProblem {
  at: string;
  message: string;
}

export interface BankReturnFile {
  fileKind: BankReturnFileKind;
  /** The return file's own MsgId (null for CSV). */
  messageId: string | null;
  /** pain.002: the MsgId of our file it answers. */
  originalMessageId?: string;
  /** pain.002: a status for the whole file (RJCT with no detail: every debit of the file refused). */
  groupStatus?: { status: BankReturnStatus; reasonCode?: string };
  blocks: BankReturnBlockStatus[];
  lines: BankReturnLine[];
  problems: BankReturnProblem[];
}

export const returnFileError = (message: string) => badRequest(message, { file: [message] });

/**
 * A value from the file as a message may quote it: control characters and lone surrogates
 * replaced (a NUL would make the stored report unwritable), cut to a readable length.
 */
export function shown(value: string, max = 60): string {
  const printable = value.replace(/\p{Cc}|\p{Cs}/gu, '\ufffd');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

/** An EndToEndId or MsgId as SEPA allows them (Max35Text in the SEPA character set): anything else cannot be ours. */
export const isSepaReference = (value: string): boolean => /^[A-Za-z0-9/\-?:().,'+ ]{1,35}$/.test(value);

/**
 * A reason code kept as the bank wrote it (ISO Cd is 4 characters, a proprietary one up to 35),
 * a known code in its usual upper case ("md06" is MD06); null when unusable.
 */
export const receivedReasonCode = (value: string): string | null =>
  value.length >= 1 && value.length <= 35 && !hasForbiddenCharacters(value) ? (sepaReasonOf(value)?.code ?? value) : null;

/**
 * A date of the file, YYYY-MM-DD (a time after it ignored): a real day between 1900 and 2199, or
 * the whole file refused with a field error naming where. A corrupt date means a corrupt file;
 * nothing of it is imported.
 */
export function dayOf(value: string | undefined, at: string): string | undefined {
  if (value === undefined) return undefined;
  const day = value.slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) && isSaneDay(day)) return day;
  throw returnFileError(`${at} : date illisible ou impossible « ${shown(value)} » (fichier refusé, rien n'a été importé)`);
}

/** Amount "12.30" (or "12,30" in CSV) to integer cents; null when it is not a plain positive amount. */
export function parseAmountCents(value: string): number | null {
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(value.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  if (!/^\d{2}0*$/.test(fraction)) return null;
  return Number(match[1]) * 100 + Number(fraction.slice(0, 2));
}

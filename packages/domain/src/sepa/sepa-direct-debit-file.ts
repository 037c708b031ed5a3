import { badRequest, type FieldErrors } from '../shared/errors.ts';
import { sepaAddressRequired } from './sepa-address.ts';
import { sepaIdentifierProblem, toSepaText } from './sepa-charset.ts';
import {
  isValidCreditorIdentifier,
  isValidSepaBic,
  isValidNormalizedSepaIban,
  isValidSepaIban,
  normalizeCreditorIdentifier,
  normalizeSepaBic,
  normalizeSepaIban,
} from './sepa-identifiers.ts';

// A SEPA direct debit initiation file (pain.008, customer to bank), built from typed input with
// no clock and no randomness: the same input gives the same bytes. Everything the XSD cannot
// check is checked here (EPC implementation guidelines): the Latin character set, lengths,
// uniqueness of the references, control sums, identifiers' check digits, amendment rules.
// The XML is written as strings (no DOM), each debit's joined into chunks as soon as it is
// validated, so that a 100k-debit file does not keep 100k strings alive on the heap.

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

const MAX_AMOUNT_CENTS = 99_999_999_999; // 999,999,999.99 EUR (EPC AT-06)
const MAX_REPORTED_ERRORS = 100;
/** Debits per chunk of the file: each chunk is joined into one flat string as soon as it is full. */
export const SEPA_FILE_CHUNK_DEBITS = 500;

/**
 * The DrctDbtTxInf of a block, written as soon as each debit is validated and joined every
 * SEPA_FILE_CHUNK_DEBITS: a 100k-debit file keeps 200 flat strings alive, not 100k small ones.
 */
class Transactions {
  readonly chunks: string[] = [];
  private pending: string[] = [];

  write(text: string): void {
    this.pending.push(text);
    if (this.pending.length === SEPA_FILE_CHUNK_DEBITS) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) this.chunks.push(this.pending.join(''));
    this.pending = [];
  }
}

export const formatCents = (cents: number): string => {
  const euros = Math.floor(cents / 100);
  const rest = cents - euros * 100;
  return `${euros}.${rest < 10 ? '0' : ''}${rest}`;
};

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

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

interface PreparedBlock extends SepaPaymentInfoSummary {
  transactions: Transactions;
}

class Problems {
  readonly errors: FieldErrors = {};
  count = 0;
  add(path: string, message: string): void {
    this.count++;
    if (this.count > MAX_REPORTED_ERRORS) return;
    (this.errors[path] ??= []).push(message);
  }
}

/** Escaping is never needed: every value written is either validated or transliterated to the SEPA set. */
class Writer {
  constructor(readonly version: SepaPainVersion) {}

  get bicTag(): string {
    return this.version === 'pain.008.001.08' ? 'BICFI' : 'BIC';
  }

  /** FinInstnId of an agent: its BIC, or "NOTPROVIDED" (the XSD requires the agent; EPC's value when the BIC is not given). */
  agent(bic: string | null): string {
    return bic ? `<FinInstnId><${this.bicTag}>${bic}</${this.bicTag}></FinInstnId>` : '<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>';
  }

  /**
   * pain.008.001.08: the structured address (StrtNm, BldgNb, PstCd, TwnNm, Ctry), plus one
   * AdrLine for what they cannot hold (EPC's hybrid form).
   * pain.008.001.02: EPC allows only Ctry and two AdrLine there, so the same data goes into lines.
   */
  address(address: SepaPostalAddress | null | undefined): string {
    if (!address) return '';
    const street = address.streetName ? toSepaText(address.streetName, 70) : '';
    const building = address.buildingNumber ? toSepaText(address.buildingNumber, 16) : '';
    const postalCode = address.postalCode ? toSepaText(address.postalCode, 16) : '';
    const town = toSepaText(address.townName, 35);
    const country = address.country.toUpperCase();
    const extra = address.addressLine ? toSepaText(address.addressLine, 70) : '';
    if (this.version === 'pain.008.001.08') {
      return `<PstlAdr>${street ? `<StrtNm>${street}</StrtNm>` : ''}${building ? `<BldgNb>${building}</BldgNb>` : ''}${postalCode ? `<PstCd>${postalCode}</PstCd>` : ''}<TwnNm>${town}</TwnNm><Ctry>${country}</Ctry>${extra ? `<AdrLine>${extra}</AdrLine>` : ''}</PstlAdr>`;
    }
    const line1 = toSepaText([`${building} ${street}`.trim(), extra].filter(Boolean).join(', '), 70);
    const line2 = toSepaText(`${postalCode} ${town}`, 70);
    return `<PstlAdr><Ctry>${country}</Ctry>${line1 ? `<AdrLine>${line1}</AdrLine>` : ''}<AdrLine>${line2}</AdrLine></PstlAdr>`;
  }

  schemeId(creditorId: string): string {
    return `<Id><PrvtId><Othr><Id>${creditorId}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id>`;
  }
}

function checkAddress(problems: Problems, path: string, address: SepaPostalAddress | null | undefined): void {
  if (!address) return;
  if (!/^[A-Z]{2}$/.test(address.country.toUpperCase())) problems.add(`${path}.country`, 'Code pays invalide (ISO 3166, 2 lettres)');
  if (toSepaText(address.townName ?? '').length === 0) problems.add(`${path}.townName`, 'Ville requise');
}

/** The EPC rule (sepa-address.ts): a party whose bank is outside the EEA travels with its address. */
function checkRequiredAddress(problems: Problems, path: string, label: string, party: { iban: string; bic?: string | null; address?: SepaPostalAddress | null }): void {
  // An IBAN or BIC refused as such is the problem, not the address.
  if (!party.address && sepaAddressRequired(party) && isValidSepaIban(party.iban) && (!party.bic || isValidSepaBic(party.bic))) {
    problems.add(path, `Adresse ${label} requise (ville et pays au moins) : sa banque est hors de l'EEE (${normalizeSepaIban(party.iban).slice(0, 2) || '?'})`);
  }
}

function checkIdentifier(problems: Problems, path: string, label: string, value: string): void {
  const problem = sepaIdentifierProblem(value);
  if (problem) problems.add(path, `${label} invalide : ${problem}`);
}

type DateCheck = (value: string) => boolean;

/**
 * One debit checked (everything but its uniqueness in the file) and written as its DrctDbtTxInf;
 * null when it has a problem, each added under `at` + its field ("debits.12." + "debtor.iban").
 */
function debitEntry(problems: Problems, at: string, debit: SepaDirectDebit, writer: Writer, isDate: DateCheck): { localInstrument: SepaLocalInstrument; xml: string } | null {
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

  let amendment = '<AmdmntInd>false</AmdmntInd>';
  if (debit.amendment) {
    const a = debit.amendment;
    const parts: string[] = [];
    if (a.originalMandateId) {
      checkIdentifier(problems, `${at}amendment.originalMandateId`, 'Ancienne RUM', a.originalMandateId);
      if (a.originalMandateId === debit.mandateId) problems.add(`${at}amendment.originalMandateId`, "L'ancienne RUM est identique à la nouvelle");
      parts.push(`<OrgnlMndtId>${a.originalMandateId}</OrgnlMndtId>`);
    }
    if (a.originalCreditorId || a.originalCreditorName) {
      let scheme = '';
      if (a.originalCreditorName) scheme += `<Nm>${toSepaText(a.originalCreditorName, 70)}</Nm>`;
      if (a.originalCreditorId) {
        const original = normalizeCreditorIdentifier(a.originalCreditorId);
        if (!isValidCreditorIdentifier(original)) problems.add(`${at}amendment.originalCreditorId`, 'Ancien identifiant créancier SEPA (ICS) invalide');
        scheme += writer.schemeId(original);
      }
      parts.push(`<OrgnlCdtrSchmeId>${scheme}</OrgnlCdtrSchmeId>`);
    }
    if (a.originalDebtorIban) {
      if (a.debtorBankChanged) {
        problems.add(`${at}amendment.originalDebtorIban`, "Changement de banque (SMNDA) : l'ancien IBAN ne se transmet pas");
      }
      const original = normalizeSepaIban(a.originalDebtorIban);
      if (!isValidSepaIban(a.originalDebtorIban)) problems.add(`${at}amendment.originalDebtorIban`, 'Ancien IBAN invalide');
      else if (original === debtorIban) problems.add(`${at}amendment.originalDebtorIban`, "L'ancien IBAN est identique au nouveau");
      parts.push(`<OrgnlDbtrAcct><Id><IBAN>${original}</IBAN></Id></OrgnlDbtrAcct>`);
    }
    if (a.debtorBankChanged) parts.push('<OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt>');
    if (parts.length === 0) problems.add(`${at}amendment`, 'Modification du mandat sans aucun changement indiqué');
    amendment = `<AmdmntInd>true</AmdmntInd><AmdmntInfDtls>${parts.join('')}</AmdmntInfDtls>`;
  }

  if (problems.count !== before) return null;
  const remittance = debit.remittanceInformation ? toSepaText(debit.remittanceInformation, 140) : '';
  return {
    localInstrument,
    xml:
      `<DrctDbtTxInf><PmtId><EndToEndId>${debit.endToEndId}</EndToEndId></PmtId><InstdAmt Ccy="EUR">${formatCents(debit.amountCents)}</InstdAmt>` +
      `<DrctDbtTx><MndtRltdInf><MndtId>${debit.mandateId}</MndtId><DtOfSgntr>${debit.mandateSignatureDate}</DtOfSgntr>${amendment}</MndtRltdInf></DrctDbtTx>` +
      `<DbtrAgt>${writer.agent(debtorBic)}</DbtrAgt><Dbtr><Nm>${debtorName}</Nm>${writer.address(debtor.address)}</Dbtr>` +
      `<DbtrAcct><Id><IBAN>${debtorIban}</IBAN></Id></DbtrAcct>${remittance ? `<RmtInf><Ustrd>${remittance}</Ustrd></RmtInf>` : ''}</DrctDbtTxInf>\n`,
  };
}

/**
 * What would make the bank refuse this debit, keyed by its field ("debtor.address"), in French;
 * empty when nothing would. The file builder applies the same checks, so a batch can leave out
 * the debits that have problems instead of failing whole.
 */
export function sepaDebitProblems(debit: SepaDirectDebit, version: SepaPainVersion = 'pain.008.001.08'): FieldErrors {
  const problems = new Problems();
  debitEntry(problems, '', debit, new Writer(version), isIsoDate);
  return problems.errors;
}

/**
 * Validates the input and lays out the file: blocks in a fixed order (collection date, local
 * instrument, sequence type FRST, RCUR, OOFF, FNAL), debits in input order inside a block.
 * Throws BAD_REQUEST with every problem keyed by its path ("debits.12.debtor.iban").
 */
export function prepareSepaDirectDebitFile(input: SepaDirectDebitFileInput): { summary: SepaDirectDebitFileSummary; chunks: () => Generator<string> } {
  const version = input.version ?? 'pain.008.001.08';
  const writer = new Writer(version);
  const problems = new Problems();

  if (version !== 'pain.008.001.08' && version !== 'pain.008.001.02') problems.add('version', 'Version inconnue : pain.008.001.08 ou pain.008.001.02');
  checkIdentifier(problems, 'messageId', 'Identifiant du message (MsgId)', input.messageId);
  const createdAt = typeof input.createdAt === 'string' ? input.createdAt : Number.isNaN(input.createdAt.getTime()) ? '' : input.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const createdMatch = ISO_DATE_TIME.exec(createdAt);
  if (!createdMatch || !isIsoDate(createdMatch[1]!)) problems.add('createdAt', 'Date de création invalide (AAAA-MM-JJTHH:MM:SS)');

  const creditor = input.creditor;
  const creditorName = toSepaText(creditor.name, 70);
  if (!creditorName) problems.add('creditor.name', 'Nom du créancier requis');
  const creditorIban = normalizeSepaIban(creditor.iban);
  if (!isValidSepaIban(creditor.iban)) problems.add('creditor.iban', 'IBAN invalide');
  const creditorBic = creditor.bic ? normalizeSepaBic(creditor.bic) : null;
  if (creditorBic !== null && !isValidSepaBic(creditorBic)) problems.add('creditor.bic', 'BIC invalide');
  const creditorId = normalizeCreditorIdentifier(creditor.creditorId);
  if (!isValidCreditorIdentifier(creditorId)) problems.add('creditor.creditorId', 'Identifiant créancier SEPA (ICS) invalide');
  checkAddress(problems, 'creditor.address', creditor.address);
  checkRequiredAddress(problems, 'creditor.address', 'du créancier', creditor);
  const initiatingParty = toSepaText(input.initiatingPartyName ?? creditor.name, 70);

  if (input.debits.length === 0) problems.add('debits', 'Aucun prélèvement à remettre');
  const endToEndIds = new Map<string, number>();
  const dates = new Map<string, boolean>(); // a file has few distinct dates: checked once each
  const isDate = (value: string): boolean => {
    let ok = dates.get(value);
    if (ok === undefined) dates.set(value, (ok = isIsoDate(value)));
    return ok;
  };
  const blocks = new Map<string, PreparedBlock>();

  for (let i = 0; i < input.debits.length; i++) {
    const debit = input.debits[i]!;
    const at = `debits.${i}`;
    const seen = endToEndIds.get(debit.endToEndId);
    if (seen !== undefined) problems.add(`${at}.endToEndId`, `Référence de bout en bout en double (déjà au prélèvement ${seen + 1})`);
    else endToEndIds.set(debit.endToEndId, i);
    const entry = debitEntry(problems, `${at}.`, debit, writer, isDate);
    if (!entry || seen !== undefined) continue;
    const key = paymentInfoKey(entry.localInstrument, debit.sequenceType, debit.collectionDate);
    let block = blocks.get(key);
    if (!block) {
      block = {
        paymentInfoId: '',
        localInstrument: entry.localInstrument,
        sequenceType: debit.sequenceType,
        collectionDate: debit.collectionDate,
        numberOfTransactions: 0,
        controlSumCents: 0,
        endToEndIds: [],
        transactions: new Transactions(),
      };
      blocks.set(key, block);
    }
    block.numberOfTransactions++;
    block.controlSumCents += debit.amountCents;
    block.endToEndIds.push(debit.endToEndId);
    block.transactions.write(entry.xml);
  }

  const ordered = [...blocks.values()].sort(
    (a, b) =>
      a.collectionDate.localeCompare(b.collectionDate) ||
      SEPA_LOCAL_INSTRUMENTS.indexOf(a.localInstrument) - SEPA_LOCAL_INSTRUMENTS.indexOf(b.localInstrument) ||
      SEPA_SEQUENCE_TYPES.indexOf(a.sequenceType) - SEPA_SEQUENCE_TYPES.indexOf(b.sequenceType),
  );
  const instruments = new Set(ordered.map((b) => b.localInstrument)).size;
  if (instruments > 1 && !input.allowMixedLocalInstruments) {
    problems.add('debits', 'Un fichier ne peut mélanger prélèvements CORE et B2B (règle EPC) : faites un fichier par type');
  }
  const paymentInfoIds = new Map<string, string>();
  ordered.forEach((block, index) => {
    const key = paymentInfoKey(block.localInstrument, block.sequenceType, block.collectionDate);
    const id = input.paymentInfoIds?.[key] ?? `${input.messageId}-${index + 1}`;
    const problem = sepaIdentifierProblem(id);
    if (problem) problems.add(`paymentInfoIds.${key}`, `Identifiant de lot (PmtInfId) « ${id} » invalide : ${problem}`);
    const other = paymentInfoIds.get(id);
    if (other !== undefined) problems.add(`paymentInfoIds.${key}`, `Identifiant de lot (PmtInfId) en double avec le lot ${other}`);
    paymentInfoIds.set(id, key);
    block.paymentInfoId = id;
  });

  if (problems.count > 0) {
    const first = Object.values(problems.errors)[0]?.[0] ?? 'erreur';
    const more = problems.count > 1 ? ` (et ${problems.count - 1} autre${problems.count > 2 ? 's' : ''} erreur${problems.count > 2 ? 's' : ''})` : '';
    throw badRequest(`Fichier de prélèvements SEPA invalide : ${first}${more}`, problems.errors);
  }

  const numberOfTransactions = ordered.reduce((n, b) => n + b.numberOfTransactions, 0);
  const controlSumCents = ordered.reduce((n, b) => n + b.controlSumCents, 0);
  const summary: SepaDirectDebitFileSummary = {
    version,
    messageId: input.messageId,
    numberOfTransactions,
    controlSumCents,
    paymentInfos: ordered.map(({ transactions: _transactions, ...rest }) => rest),
  };

  const creditorPart =
    `<Cdtr><Nm>${creditorName}</Nm>${writer.address(creditor.address)}</Cdtr>` +
    `<CdtrAcct><Id><IBAN>${creditorIban}</IBAN></Id></CdtrAcct>` +
    `<CdtrAgt>${writer.agent(creditorBic)}</CdtrAgt>` +
    `<ChrgBr>SLEV</ChrgBr>` +
    `<CdtrSchmeId>${writer.schemeId(creditorId)}</CdtrSchmeId>`;
  const batchBooking = input.batchBooking === undefined ? '' : `<BtchBookg>${input.batchBooking}</BtchBookg>`;

  for (const block of ordered) block.transactions.flush();
  function* chunks(): Generator<string> {
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${version}">\n<CstmrDrctDbtInitn>\n` +
      `<GrpHdr><MsgId>${input.messageId}</MsgId><CreDtTm>${createdAt}</CreDtTm><NbOfTxs>${numberOfTransactions}</NbOfTxs>` +
      `<CtrlSum>${formatCents(controlSumCents)}</CtrlSum><InitgPty><Nm>${initiatingParty}</Nm></InitgPty></GrpHdr>\n`);
    for (const block of ordered) {
      yield (`<PmtInf><PmtInfId>${block.paymentInfoId}</PmtInfId><PmtMtd>DD</PmtMtd>${batchBooking}` +
        `<NbOfTxs>${block.numberOfTransactions}</NbOfTxs><CtrlSum>${formatCents(block.controlSumCents)}</CtrlSum>` +
        `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>${block.localInstrument}</Cd></LclInstrm><SeqTp>${block.sequenceType}</SeqTp></PmtTpInf>` +
        `<ReqdColltnDt>${block.collectionDate}</ReqdColltnDt>${creditorPart}\n`);
      yield* block.transactions.chunks;
      yield ('</PmtInf>\n');
    }
    yield ('</CstmrDrctDbtInitn>\n</Document>\n');
  }

  return { summary, chunks };
}

/** The whole file as one string, with its summary (ids and sums per block, for the batch's records). */
export function buildSepaDirectDebitFile(input: SepaDirectDebitFileInput): SepaDirectDebitFile {
  const { summary, chunks } = prepareSepaDirectDebitFile(input);
  return { ...summary, xml: [...chunks()].join('') };
}

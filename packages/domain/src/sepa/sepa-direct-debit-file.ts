import { badRequest } from '../shared/errors.ts';
import { sepaIdentifierProblem, toSepaText } from './sepa-charset.ts';
import { checkAddress, checkDebit, checkIdentifier, checkRequiredAddress, isIsoDate, Problems } from './sepa-debit-checks.ts';
import {
  paymentInfoKey,
  SEPA_LOCAL_INSTRUMENTS,
  SEPA_SEQUENCE_TYPES,
  type SepaDirectDebitFile,
  type SepaDirectDebitFileInput,
  type SepaDirectDebitFileSummary,
  type SepaPaymentInfoSummary,
} from './sepa-direct-debit-types.ts';
import { isValidCreditorIdentifier, isValidSepaBic, isValidSepaIban, normalizeCreditorIdentifier, normalizeSepaBic, normalizeSepaIban } from './sepa-identifiers.ts';
import { formatCents, Transactions, Writer } from './sepa-xml-writer.ts';

// A SEPA direct debit initiation file (pain.008, customer to bank), built from typed input with
// no clock and no randomness: the same input gives the same bytes. Three parts: the types
// (sepa-direct-debit-types.ts), the checks of what the XSD cannot check (sepa-debit-checks.ts),
// the XML writing (sepa-xml-writer.ts); this file lays the file out: blocks, their order and
// ids, uniqueness of references, control sums. Each debit is written into its block's chunks
// as soon as it is checked, so a 100k-debit file does not keep 100k strings alive on the heap.

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

interface PreparedBlock extends SepaPaymentInfoSummary {
  transactions: Transactions;
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
    const entry = checkDebit(problems, `${at}.`, debit, isDate);
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
    block.transactions.write(writer.debit(entry));
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

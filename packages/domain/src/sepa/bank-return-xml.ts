import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  dayOf,
  isSepaReference,
  parseAmountCents,
  receivedReasonCode,
  returnFileError,
  shown,
  type BankReturnBlockStatus,
  type BankReturnFile,
  type BankReturnFileKind,
  type BankReturnLine,
  type BankReturnProblem,
  type BankReturnStatus,
} from './bank-return-types.ts';

// pain.002 (payment status report) and camt.054 (debit/credit notification), read with
// fast-xml-parser into plain objects, namespace prefixes dropped, then walked by element name.
// A bank file has no DTD: any markup declaration (DOCTYPE, ENTITY...) refuses the file wherever it
// stands, the parser expands no entity at all (the five predefined ones and character references
// are decoded here, without recursion), and depth and size are bounded before parsing.

/** Characters of XML read at most (the upload's byte limit comes first). */
export const MAX_RETURN_XML_CHARS = 10 * 1024 * 1024;
/** Nesting depth allowed: the ISO messages need about 12. */
export const MAX_RETURN_XML_DEPTH = 64;

type XmlNode = { [name: string]: XmlValue };
type XmlValue = string | XmlNode | XmlValue[] | undefined;

// Elements that may repeat in the four messages: always arrays, even when there is one.
// Stryker disable next-line StringLiteral,ArrayDeclaration: list() and child() read one element or several alike; this only keeps the shapes regular.
const REPEATED = new Set(['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'AddtlInf', 'NbOfTxsPerSts']);

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: MAX_RETURN_XML_DEPTH,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  transformTagName: (name) => name.slice(name.indexOf(':') + 1),
  isArray: (name) => REPEATED.has(name),
});

const ISO_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/;
const SUPPORTED = ['pain.002.001.03', 'pain.002.001.10', 'camt.054.001.02', 'camt.054.001.08'] as const;
const EXPECTED = 'attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV';

const isNode = (value: XmlValue): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The child at `path` ("GrpHdr.MsgId"), first element of arrays on the way. */
function child(node: XmlValue, path: string): XmlValue {
  let current = node;
  for (const name of path.split('.')) {
    if (Array.isArray(current)) current = current[0];
    if (!isNode(current)) return undefined;
    current = current[name];
  }
  return Array.isArray(current) ? current[0] : current;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The predefined entities and character references, once (no entity expands into another); a control character becomes U+FFFD. */
function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (_, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name]!;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff);
    return allowed && !(code >= 0x7f && code <= 0x9f) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Text content of the element at `path`, or undefined when absent or empty. */
function text(node: XmlValue, path: string): string | undefined {
  const value = child(node, path);
  const raw = typeof value === 'string' ? value : isNode(value) && typeof value['#text'] === 'string' ? value['#text'] : undefined;
  return raw === undefined || raw === '' ? undefined : decodeXmlText(raw);
}

function list(node: XmlValue, name: string): XmlValue[] {
  if (!isNode(node)) return [];
  const value = node[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The reason code of a status as the bank wrote it; an unusable one is reported and counts as missing. */
function reasonAt(node: XmlValue, path: string, at: string, problems: BankReturnProblem[]): string | undefined {
  const raw = text(node, `${path}.Cd`) ?? text(node, `${path}.Prtry`);
  if (raw === undefined) return undefined;
  const code = receivedReasonCode(raw);
  if (code === null) problems.push({ at, message: `Code motif illisible « ${shown(raw)} » : ignoré` });
  return code ?? undefined;
}
const reasonOf = (node: XmlValue, at: string, problems: BankReturnProblem[]) => reasonAt(node, 'StsRsnInf.Rsn', at, problems);

function mapStatus(code: string | undefined): BankReturnStatus | 'partial' | 'pending' | undefined {
  switch (code) {
    case 'RJCT':
      return 'rejected';
    case 'ACSC':
      return 'settled';
    case 'ACCP':
    case 'ACTC':
    case 'ACSP':
    case 'ACWC':
    case 'ACCC':
    case 'ACFC':
    case 'ACWP':
      return 'accepted';
    case 'PART':
      return 'partial';
    case 'PDNG':
    case 'RCVD':
      return 'pending';
    default:
      return undefined;
  }
}

/** Amount of an element like <Amt Ccy="EUR">12.30</Amt>, checked to be euros. */
function amountOf(node: XmlValue, path: string, at: string, problems: BankReturnProblem[]): number | undefined {
  const element = child(node, path);
  const value = text(node, path);
  if (value === undefined) return undefined;
  const currency = isNode(element) ? element['@_Ccy'] : undefined;
  if (currency !== undefined && currency !== 'EUR') {
    problems.push({ at, message: `Montant en ${typeof currency === 'string' ? shown(currency) : '?'} : seuls les euros sont pris en charge` });
    return undefined;
  }
  const cents = parseAmountCents(value);
  if (cents === null) problems.push({ at, message: `Montant illisible « ${shown(value)} »` });
  return cents ?? undefined;
}

function withOptional(line: BankReturnLine, reasonCode: string | undefined, amountCents: number | undefined, date: string | undefined): BankReturnLine {
  if (reasonCode) line.reasonCode = reasonCode;
  if (amountCents !== undefined) line.amountCents = amountCents;
  if (date) line.date = date;
  return line;
}

function readPain002(kind: BankReturnFileKind, root: XmlNode): BankReturnFile {
  const report = root.CstmrPmtStsRpt;
  if (!isNode(report)) throw returnFileError(`Fichier ${kind} incomplet : élément CstmrPmtStsRpt absent`);
  const messageId = headerReference(text(report, 'GrpHdr.MsgId'), kind, 'identifiant du message (GrpHdr/MsgId)');
  const original = child(report, 'OrgnlGrpInfAndSts');
  const originalMessageId = headerReference(text(original, 'OrgnlMsgId'), kind, "message d'origine (OrgnlGrpInfAndSts/OrgnlMsgId)");

  const problems: BankReturnProblem[] = [];
  const blocks: BankReturnBlockStatus[] = [];
  const lines: BankReturnLine[] = [];
  const result: BankReturnFile = { fileKind: kind, messageId, originalMessageId, blocks, lines, problems };

  const groupCode = text(original, 'GrpSts');
  const groupStatus = mapStatus(groupCode);
  if (groupCode !== undefined && groupStatus === undefined) problems.push({ at: 'OrgnlGrpInfAndSts', message: `Statut de groupe inconnu « ${shown(groupCode)} »` });
  if (groupStatus === 'rejected' || groupStatus === 'accepted' || groupStatus === 'settled') {
    result.groupStatus = { status: groupStatus };
    const reason = reasonOf(original, 'OrgnlGrpInfAndSts', problems);
    if (reason) result.groupStatus.reasonCode = reason;
  }

  list(report, 'OrgnlPmtInfAndSts').forEach((block, b) => {
    const at = `OrgnlPmtInfAndSts[${b + 1}]`;
    const givenInfoId = text(block, 'OrgnlPmtInfId');
    const paymentInfoId = givenInfoId !== undefined && isSepaReference(givenInfoId) ? givenInfoId : undefined;
    if (givenInfoId !== undefined && !paymentInfoId) problems.push({ at, message: `Identifiant de lot illisible « ${shown(givenInfoId)} »` });
    const blockCode = text(block, 'PmtInfSts');
    const blockStatus = mapStatus(blockCode);
    if (blockCode !== undefined && blockStatus === undefined) problems.push({ at, message: `Statut de lot inconnu « ${shown(blockCode)} »` });
    const transactions = list(block, 'TxInfAndSts');
    if (paymentInfoId && (blockStatus === 'rejected' || blockStatus === 'accepted' || blockStatus === 'settled')) {
      const entry: BankReturnBlockStatus = { paymentInfoId, status: blockStatus };
      const reason = reasonOf(block, at, problems);
      if (reason) entry.reasonCode = reason;
      blocks.push(entry);
    } else if (!paymentInfoId && transactions.length === 0) {
      problems.push({ at, message: 'Lot sans identifiant (OrgnlPmtInfId) ni transaction : ignoré' });
    }
    transactions.forEach((tx, t) => {
      const txAt = `${at}.TxInfAndSts[${t + 1}]`;
      const endToEndId = text(tx, 'OrgnlEndToEndId');
      if (!endToEndId || endToEndId === 'NOTPROVIDED') {
        problems.push({ at: txAt, message: 'Transaction sans référence de bout en bout (OrgnlEndToEndId) : impossible de la rapprocher' });
        return;
      }
      if (!isSepaReference(endToEndId)) {
        problems.push({ at: txAt, message: `Référence de bout en bout illisible « ${shown(endToEndId)} » : transaction ignorée` });
        return;
      }
      const code = text(tx, 'TxSts');
      let status = mapStatus(code);
      if (code === undefined) status = blockStatus ?? groupStatus; // a detail without status shares its block's
      if (status === undefined) {
        problems.push({ at: txAt, message: `Statut de transaction ${code ? `inconnu « ${shown(code)} »` : 'absent'} (${endToEndId})` });
        return;
      }
      if (status === 'pending' || status === 'partial') {
        problems.push({ at: txAt, message: `Transaction ${endToEndId} en attente (${shown(code ?? blockCode ?? groupCode ?? '')}) : rien à rapprocher` });
        return;
      }
      const reason = reasonOf(tx, txAt, problems);
      if (status === 'rejected' && !reason) problems.push({ at: txAt, message: `Rejet de ${endToEndId} sans code motif` });
      const amount = amountOf(tx, 'OrgnlTxRef.Amt.InstdAmt', txAt, problems);
      const date = dayOf(text(tx, 'OrgnlTxRef.ReqdColltnDt') ?? text(tx, 'OrgnlTxRef.ReqdColltnDt.Dt'), `${txAt}.OrgnlTxRef.ReqdColltnDt`);
      lines.push(withOptional({ endToEndId, status }, reason, amount, date));
    });
  });
  if (!result.groupStatus && blocks.length === 0 && lines.length === 0 && problems.length === 0) {
    problems.push({ at: 'OrgnlGrpInfAndSts', message: 'Rapport sans statut de groupe, de lot ni de transaction' });
  }
  return result;
}

function readCamt054(kind: BankReturnFileKind, root: XmlNode): BankReturnFile {
  const notification = root.BkToCstmrDbtCdtNtfctn;
  if (!isNode(notification)) throw returnFileError(`Fichier ${kind} incomplet : élément BkToCstmrDbtCdtNtfctn absent`);
  const messageId = headerReference(text(notification, 'GrpHdr.MsgId'), kind, 'identifiant du message (GrpHdr/MsgId)');
  const notifications = list(notification, 'Ntfctn');
  if (notifications.length === 0) throw returnFileError(`Fichier ${kind} incomplet : aucune notification (Ntfctn)`);

  const problems: BankReturnProblem[] = [];
  const lines: BankReturnLine[] = [];
  notifications.forEach((ntfctn, n) => {
    list(ntfctn, 'Ntry').forEach((entry, e) => {
      const at = `Ntfctn[${n + 1}].Ntry[${e + 1}]`;
      // Sts is a code in 001.02 (<Sts>BOOK</Sts>), a choice in 001.08 (<Sts><Cd>BOOK</Cd></Sts>).
      const status = text(entry, 'Sts') ?? text(entry, 'Sts.Cd') ?? text(entry, 'Sts.Prtry');
      const entrySide = text(entry, 'CdtDbtInd');
      const reversal = text(entry, 'RvslInd') === 'true';
      const date = dayOf(text(entry, 'BookgDt.Dt') ?? text(entry, 'BookgDt.DtTm') ?? text(entry, 'ValDt.Dt') ?? text(entry, 'ValDt.DtTm'), `${at}.BookgDt`);
      const details = list(entry, 'NtryDtls').flatMap((d) => list(d, 'TxDtls'));
      if (status !== 'BOOK') {
        problems.push({ at, message: `Écriture non comptabilisée (statut ${status ? shown(status) : 'absent'}) : ignorée` });
        return;
      }
      if (details.length === 0) {
        problems.push({ at, message: 'Écriture sans détail de transaction (TxDtls) : impossible de la rapprocher' });
        return;
      }
      details.forEach((tx, t) => {
        const txAt = `${at}.TxDtls[${t + 1}]`;
        const endToEndId = text(tx, 'Refs.EndToEndId');
        if (!endToEndId || endToEndId === 'NOTPROVIDED') {
          problems.push({ at: txAt, message: 'Transaction sans référence de bout en bout (Refs/EndToEndId) : impossible de la rapprocher' });
          return;
        }
        if (!isSepaReference(endToEndId)) {
          problems.push({ at: txAt, message: `Référence de bout en bout illisible « ${shown(endToEndId)} » : transaction ignorée` });
          return;
        }
        const amount =
          text(tx, 'Amt') !== undefined
            ? amountOf(tx, 'Amt', txAt, problems)
            : text(tx, 'AmtDtls.TxAmt.Amt') !== undefined
              ? amountOf(tx, 'AmtDtls.TxAmt.Amt', txAt, problems)
              : text(tx, 'AmtDtls.InstdAmt.Amt') !== undefined
                ? amountOf(tx, 'AmtDtls.InstdAmt.Amt', txAt, problems)
                : details.length === 1
                  ? amountOf(entry, 'Amt', at, problems)
                  : undefined;
        const side = text(tx, 'CdtDbtInd') ?? entrySide;
        const returned = child(tx, 'RtrInf') !== undefined;
        if (returned) {
          const reason = reasonAt(tx, 'RtrInf.Rsn', txAt, problems);
          if (!reason) problems.push({ at: txAt, message: `Retour de ${endToEndId} sans code motif` });
          lines.push(withOptional({ endToEndId, status: 'rejected' }, reason, amount, date));
        } else if (side === 'CRDT' && !reversal) {
          lines.push(withOptional({ endToEndId, status: 'settled' }, undefined, amount, date));
        } else {
          problems.push({ at: txAt, message: `Débit de ${endToEndId} sans motif de retour (RtrInf) : ignoré` });
        }
      });
    });
  });
  return { fileKind: kind, messageId, blocks: [], lines, problems };
}

/** A header reference (MsgId, OrgnlMsgId): required, and a SEPA reference, or the file is refused. */
function headerReference(value: string | undefined, kind: BankReturnFileKind, what: string): string {
  if (!value) throw returnFileError(`Fichier ${kind} incomplet : ${what} absent`);
  if (!isSepaReference(value)) throw returnFileError(`Fichier ${kind} refusé : ${what} illisible « ${shown(value)} »`);
  return value;
}

/**
 * Refuses, before any parsing, what no bank file holds: a markup declaration anywhere (after a
 * long comment, inside a comment or a CDATA section too: the whole text is read, not a prefix),
 * more than MAX_RETURN_XML_DEPTH nested elements, more than MAX_RETURN_XML_CHARS characters.
 * One linear pass; the parser's own limits stay as a second guard.
 */
export function assertPlainXml(xml: string): void {
  if (xml.length > MAX_RETURN_XML_CHARS) throw returnFileError('Fichier XML trop volumineux : 10 Mo au plus');
  if (/<!(?!--|\[CDATA\[)/.test(xml)) throw returnFileError('Fichier XML refusé : déclaration DOCTYPE ou ENTITY non autorisée');
  let depth = 0;
  let index = xml.indexOf('<');
  while (index >= 0) {
    const next = xml[index + 1];
    let end: number;
    if (xml.startsWith('<!--', index)) end = closing(xml, '-->', index);
    else if (xml.startsWith('<![CDATA[', index)) end = closing(xml, ']]>', index);
    else if (next === '?') end = closing(xml, '?>', index);
    else {
      end = tagEnd(xml, index);
      if (next === '/') depth--;
      else if (xml[end - 1] !== '/') depth++;
      if (depth > MAX_RETURN_XML_DEPTH) throw returnFileError(`Fichier XML refusé : plus de ${MAX_RETURN_XML_DEPTH} niveaux d'éléments imbriqués`);
    }
    index = xml.indexOf('<', end);
  }
}

/** Where `marker` closes what starts at `from` (the end of the text when it never does: the validator reports it). */
function closing(xml: string, marker: string, from: number): number {
  const at = xml.indexOf(marker, from);
  return at < 0 ? xml.length : at + marker.length;
}

/** The index of a tag's closing `>`, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let i = from + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return xml.length;
}

/** A pain.002 or camt.054 document, recognised by its ISO 20022 namespace. */
export function parseReturnXml(xml: string): BankReturnFile {
  assertPlainXml(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw returnFileError(`Fichier XML mal formé (ligne ${valid.err.line}) : ${valid.err.msg}`);
  const parsed = parser.parse(xml) as XmlNode;
  const rootName = Object.keys(parsed).find((name) => !name.startsWith('?') && !name.startsWith('#'));
  if (rootName !== 'Document') {
    throw returnFileError(`Fichier XML non reconnu : élément racine « ${rootName ?? '?'} » au lieu de Document (${EXPECTED})`);
  }
  const root = parsed.Document;
  if (!isNode(root)) throw returnFileError('Fichier XML vide : élément Document sans contenu');
  const namespaces = Object.entries(root)
    .filter(([name]) => name === '@_xmlns' || name.startsWith('@_xmlns:'))
    .map(([, value]) => (typeof value === 'string' ? value : ''));
  const iso = namespaces.map((ns) => ISO_NAMESPACE.exec(ns)?.[1]).find((message) => message !== undefined);
  if (!iso) {
    throw returnFileError(`Espace de noms inconnu${namespaces.length ? ` « ${namespaces.join(' ')} »` : ' (absent)'} : ce n'est pas un message ISO 20022 (${EXPECTED})`);
  }
  const kind = SUPPORTED.find((supported) => supported === iso);
  if (!kind) throw returnFileError(`Message ISO 20022 ${iso} non pris en charge (${EXPECTED})`);
  return kind.startsWith('pain.002') ? readPain002(kind, root) : readCamt054(kind, root);
}

import { describe, expect, it } from 'vitest';
import { parseReturnCsv } from '../src/sepa/bank-return-csv.ts';
import { dayOf, parseAmountCents, receivedReasonCode, shown } from '../src/sepa/bank-return-types.ts';
import { assertPlainXml, MAX_RETURN_XML_CHARS, parseReturnXml } from '../src/sepa/bank-return-xml.ts';
import { parseBankReturnFile } from '../src/sepa/bank-returns.ts';
import {
  isRepresentable,
  REASON_CATEGORIES,
  REASON_CATEGORY_LABELS,
  reasonCategoryOf,
  reasonLabel,
  rTransactionOf,
  SEPA_REASONS,
  sepaReasonOf,
} from '../src/sepa/sepa-reason-codes.ts';
import { DomainError } from '../src/shared/errors.ts';

// The edges of reading bank returns (sepa-returns.test.ts reads whole sample files): the reason
// codes and what each means, every status word and code, every way a file or a line is refused
// or reported, with the exact French message the back office reads.

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

const bytes = (text: string) => new TextEncoder().encode(text);

// ---------------------------------------------------------------------------------------------
describe('reason codes', () => {
  /** What each code means for what comes next (EPC guidance; only insufficient funds is presented again). */
  const CATEGORY: Record<string, string> = {
    AC01: 'account_closed_or_blocked', AC04: 'account_closed_or_blocked', AC06: 'account_closed_or_blocked', AC13: 'account_closed_or_blocked',
    AG01: 'account_closed_or_blocked', AG02: 'technical', AM04: 'insufficient_funds', AM05: 'technical', BE05: 'technical', CNOR: 'technical',
    CUST: 'debtor_refund_or_dispute', DNOR: 'technical', DUPL: 'technical', ED05: 'technical', FF01: 'technical', FF05: 'technical',
    FRAD: 'debtor_refund_or_dispute', MD01: 'mandate_problem', MD02: 'mandate_problem', MD06: 'debtor_refund_or_dispute',
    MD07: 'account_closed_or_blocked', MS02: 'debtor_refund_or_dispute', MS03: 'unknown', RC01: 'technical', RR01: 'technical', RR02: 'technical',
    RR03: 'technical', RR04: 'technical', SL01: 'debtor_refund_or_dispute', TM01: 'technical',
  };
  const policy = { ms03MeansInsufficientFunds: false };

  it('classify every code the banks send, as written or in any case', () => {
    expect(SEPA_REASONS.map((r) => r.code)).toEqual(Object.keys(CATEGORY));
    for (const [code, category] of Object.entries(CATEGORY)) {
      expect(reasonCategoryOf(code, policy), code).toBe(category);
      expect(reasonCategoryOf(` ${code.toLowerCase()} `, policy), code).toBe(category);
      expect(sepaReasonOf(code)?.code).toBe(code);
    }
    expect(reasonCategoryOf('ZZ99', policy)).toBe('unknown');
    expect(reasonCategoryOf(null, policy)).toBe('unknown');
    expect(reasonCategoryOf('', policy)).toBe('unknown');
    expect(sepaReasonOf(undefined)).toBeUndefined();
    expect(reasonCategoryOf('MS03', { ms03MeansInsufficientFunds: true })).toBe('insufficient_funds');
    expect(reasonCategoryOf('AC04', { ms03MeansInsufficientFunds: true })).toBe('account_closed_or_blocked');
  });

  it('have a French label each, shown with the code', () => {
    for (const reason of SEPA_REASONS) {
      expect(reason.labelFr.length, reason.code).toBeGreaterThan(5);
      expect(reasonLabel(reason.code)).toBe(`${reason.labelFr} (${reason.code})`);
    }
    expect(new Set(SEPA_REASONS.map((r) => r.labelFr)).size).toBe(SEPA_REASONS.length);
    expect(reasonLabel('AM04')).toBe('Provision insuffisante (AM04)');
    expect(reasonLabel('md06')).toBe('Remboursement demandé par le débiteur (md06)');
    expect(reasonLabel('ZZ99')).toBe('Motif inconnu (ZZ99)');
    expect(reasonLabel(null)).toBe('Motif non communiqué');
    expect(reasonLabel('')).toBe('Motif non communiqué');
  });

  it('name their categories in French, and only insufficient funds may be presented again', () => {
    expect(REASON_CATEGORY_LABELS).toEqual({
      insufficient_funds: 'Provision insuffisante',
      account_closed_or_blocked: 'Compte clos, bloqué ou invalide',
      mandate_problem: 'Problème de mandat',
      debtor_refund_or_dispute: 'Remboursement ou contestation du débiteur',
      technical: 'Erreur technique ou de données',
      unknown: 'Motif inconnu',
    });
    expect(REASON_CATEGORIES.filter(isRepresentable)).toEqual(['insufficient_funds']);
  });

  it('tell a reject from a return and a refund', () => {
    expect(rTransactionOf(false, 'MD06')).toBe('reject');
    expect(rTransactionOf(true, 'MD06')).toBe('refund');
    expect(rTransactionOf(true, 'md01')).toBe('refund');
    expect(rTransactionOf(true, 'AC04')).toBe('return');
    expect(rTransactionOf(true, null)).toBe('return');
  });
});

// ---------------------------------------------------------------------------------------------
describe('a return file, XML or CSV', () => {
  const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><GrpHdr><MsgId>M1</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>O1</OrgnlMsgId><GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>`;

  it('is told apart by its first character, after a byte-order mark and white space', () => {
    for (const lead of ['', '\uFEFF', ' \n\r\t', '\uFEFF \n']) {
      expect(parseBankReturnFile(bytes(`${lead}${xml}`)).fileKind, JSON.stringify(lead)).toBe('pain.002.001.10');
      expect(parseBankReturnFile(`${lead}${xml}`).fileKind, JSON.stringify(lead)).toBe('pain.002.001.10');
    }
    for (const lead of ['', '\uFEFF']) expect(parseBankReturnFile(bytes(`${lead}end_to_end_id;status\nE2E-1;paid\n`)).lines).toEqual([{ endToEndId: 'E2E-1', status: 'settled' }]);
    // Three bytes that are not quite a byte-order mark are not skipped: the file is not XML then.
    for (const lead of [[0xef, 0xbb, 0x20], [0xef, 0x20, 0xbf], [0x20, 0xbb, 0xbf]]) {
      expect(refusal(() => parseBankReturnFile(new Uint8Array([...lead, ...bytes(xml)]))), String(lead)).toMatch(/^Fichier non reconnu/);
    }
  });

  it('refuses an empty file and XML that is not UTF-8', () => {
    expect(refusal(() => parseBankReturnFile(''))).toBe('Fichier vide');
    expect(refusal(() => parseBankReturnFile('\uFEFF \n '))).toBe('Fichier vide');
    expect(refusal(() => parseReturnCsv(''))).toBe('Fichier vide');
    expect(refusal(() => parseBankReturnFile(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e])))).toBe('Encodage invalide : un fichier XML de la banque doit être en UTF-8');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the CSV', () => {
  const csv = (...rows: string[]) => parseReturnCsv(['end_to_end_id;status;reason_code;amount;date', ...rows].join('\n'));

  it('reads every status word, in English, ISO or French, any case or accent', () => {
    const WORDS: Record<string, string> = {
      rejected: 'rejected', RJCT: 'rejected', rejet: 'rejected', 'Rejeté': 'rejected', 'impayé': 'rejected', returned: 'rejected', retour: 'rejected',
      settled: 'settled', ACSC: 'settled', paid: 'settled', 'Payé': 'settled', 'réglé': 'settled', BOOK: 'settled',
      accepted: 'accepted', ACCP: 'accepted', 'accepté': 'accepted',
    };
    const file = csv(...Object.keys(WORDS).map((word, i) => `E2E-${i};  ${word} ;AM04;;`));
    expect(file.lines.map((l) => l.status)).toEqual(Object.values(WORDS));
    expect(csv('E2E-1;maybe;;;').problems).toEqual([{ at: 'ligne 2', message: 'Statut inconnu « maybe » (rejected, settled ou accepted) : ligne ignorée' }]);
  });

  it('trims cells, reads French dates and amounts with spaces, and keeps nothing but what it reads', () => {
    const file = csv(' E2E-1 ; rejected ; am04 ; 1 234,50 ; 09/04/2026 ', 'E2E-2;settled');
    expect(file).toEqual({
      fileKind: 'csv',
      messageId: null,
      blocks: [],
      lines: [
        { endToEndId: 'E2E-1', status: 'rejected', reasonCode: 'AM04', amountCents: 123_450, date: '2026-04-09' },
        { endToEndId: 'E2E-2', status: 'settled' },
      ],
      problems: [],
    });
    for (const date of ['x09/04/2026', '09/04/2026x', '9/4/2026']) expect(refusal(() => csv(`E2E-1;settled;;;${date}`)), date).toMatch(/^ligne 2, colonne date : date illisible/);
  });

  it('reports what it ignores: columns, empty or unreadable references, codes and amounts', () => {
    const file = parseReturnCsv(['end_to_end_id;status;reason_code;amount;Commentaire;X', ';rejected;AM04;1', 'E2E 1 é;rejected;AM04;1', 'E2E-2;rejected;AM\u000104;12,345'].join('\n'));
    expect(file.problems).toEqual([
      { at: 'ligne 1', message: 'Colonnes ignorées : Commentaire, X' },
      { at: 'ligne 2', message: 'Référence de bout en bout (end_to_end_id) vide : ligne ignorée' },
      { at: 'ligne 3', message: 'Référence de bout en bout illisible « E2E 1 é » : ligne ignorée' },
      { at: 'ligne 4', message: 'Code motif illisible « AM\ufffd04 » (ex. AM04)' },
      { at: 'ligne 4', message: 'Montant illisible « 12,345 »' },
    ]);
    expect(file.lines).toEqual([{ endToEndId: 'E2E-2', status: 'rejected' }]);
  });

  it('names the missing columns, one or two', () => {
    expect(refusal(() => parseReturnCsv('end_to_end_id;etat\nE2E-1;x'))).toBe(
      'Fichier non reconnu : ni XML ISO 20022, ni CSV de retours (colonne status absente ; en-tête attendu : end_to_end_id;status;reason_code;amount;date)',
    );
    expect(refusal(() => parseReturnCsv('ref;etat\nE2E-1;x'))).toBe(
      'Fichier non reconnu : ni XML ISO 20022, ni CSV de retours (colonnes end_to_end_id, status absentes ; en-tête attendu : end_to_end_id;status;reason_code;amount;date)',
    );
  });

  it('drops a byte-order mark at the start only', () => {
    expect(parseReturnCsv('\uFEFFend_to_end_id;status\nE2E-1;paid').lines).toEqual([{ endToEndId: 'E2E-1', status: 'settled' }]);
    expect(parseReturnCsv('\uFEFFend_to_end_id;status\nE2E\uFEFF1;paid').problems).toEqual([{ at: 'ligne 2', message: 'Référence de bout en bout illisible « E2E\uFEFF1 » : ligne ignorée' }]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('values read from a file', () => {
  it('are quoted safely and cut to a readable length', () => {
    expect(shown('a'.repeat(60))).toBe('a'.repeat(60));
    expect(shown('a'.repeat(61))).toBe(`${'a'.repeat(59)}…`);
    expect(shown('abcdef', 4)).toBe('abc…');
    expect(shown('a\u0000b\u0007c\ud800')).toBe('a\ufffdb\ufffdc\ufffd');
  });

  it('keep a reason code as written, known ones in upper case, 1 to 35 characters without controls', () => {
    expect(receivedReasonCode('md06')).toBe('MD06');
    expect(receivedReasonCode('X')).toBe('X');
    expect(receivedReasonCode('P'.repeat(35))).toBe('P'.repeat(35));
    expect(receivedReasonCode('P'.repeat(36))).toBeNull();
    expect(receivedReasonCode('')).toBeNull();
    expect(receivedReasonCode('AM\u000004')).toBeNull();
  });

  it('read dates, a time after them ignored, and refuse anything else naming where', () => {
    expect(dayOf(undefined, 'x')).toBeUndefined();
    expect(dayOf('2026-04-09', 'x')).toBe('2026-04-09');
    expect(dayOf('2026-04-09T10:00:00+02:00', 'x')).toBe('2026-04-09');
    for (const bad of ['x2026-04-09', '2026-04-09x', '2026-04-31', '2026-04-0']) {
      expect(refusal(() => dayOf(bad, 'Ici')), bad).toBe(`Ici : date illisible ou impossible « ${bad} » (fichier refusé, rien n'a été importé)`);
    }
  });

  it('read amounts as cents, trailing zeros allowed, more precision refused', () => {
    expect([' 12.30 ', '12.3', '12.300', '12', '0,05', '1234567890123'].map(parseAmountCents)).toEqual([1_230, 1_230, 1_230, 1_200, 5, 123_456_789_012_300]);
    expect(['12.301', '12.3456', '-1', '1e3', '12.', '', '12345678901234'].map(parseAmountCents)).toEqual([null, null, null, null, null, null, null]);
  });
});

// ---------------------------------------------------------------------------------------------
const pain002 = (body: string, header = '<GrpHdr><MsgId>M1</MsgId></GrpHdr>') =>
  `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>${header}${body}</CstmrPmtStsRpt></Document>`;
const group = (status = '', extra = '') => `<OrgnlGrpInfAndSts><OrgnlMsgId>O1</OrgnlMsgId>${status ? `<GrpSts>${status}</GrpSts>` : ''}${extra}</OrgnlGrpInfAndSts>`;
const tx = (inner: string) => `<TxInfAndSts>${inner}</TxInfAndSts>`;
const block = (inner: string) => `<OrgnlPmtInfAndSts>${inner}</OrgnlPmtInfAndSts>`;
const rsn = (code: string, kind = 'Cd') => `<StsRsnInf><Rsn><${kind}>${code}</${kind}></Rsn></StsRsnInf>`;

describe('a pain.002', () => {
  it('reads every transaction status code', () => {
    const CODES: Record<string, string> = { RJCT: 'rejected', ACSC: 'settled', ACCP: 'accepted', ACTC: 'accepted', ACSP: 'accepted', ACWC: 'accepted', ACCC: 'accepted', ACFC: 'accepted', ACWP: 'accepted' };
    const file = parseReturnXml(pain002(group() + block(`<OrgnlPmtInfId>B1</OrgnlPmtInfId>${Object.keys(CODES).map((code, i) => tx(`<OrgnlEndToEndId>E${i}</OrgnlEndToEndId><TxSts>${code}</TxSts>${rsn('AM04')}`)).join('')}`)));
    expect(file.lines.map((l) => l.status)).toEqual(Object.values(CODES));
    expect(file.problems).toEqual([]);
    const waiting = parseReturnXml(pain002(group() + block(['PART', 'PDNG', 'RCVD', 'XXXX'].map((code, i) => tx(`<OrgnlEndToEndId>W${i}</OrgnlEndToEndId><TxSts>${code}</TxSts>`)).join(''))));
    expect(waiting.lines).toEqual([]);
    expect(waiting.problems.map((p) => p.message)).toEqual([
      'Transaction W0 en attente (PART) : rien à rapprocher',
      'Transaction W1 en attente (PDNG) : rien à rapprocher',
      'Transaction W2 en attente (RCVD) : rien à rapprocher',
      'Statut de transaction inconnu « XXXX » (W3)',
    ]);
  });

  it('gives a detail without status its block\'s, else its group\'s; none is reported', () => {
    const file = parseReturnXml(
      pain002(
        group('RJCT', rsn('FF01')) +
          block(`<OrgnlPmtInfId>B1</OrgnlPmtInfId><PmtInfSts>ACSC</PmtInfSts>${tx('<OrgnlEndToEndId>E1</OrgnlEndToEndId>')}`) +
          block(tx(`<OrgnlEndToEndId>E2</OrgnlEndToEndId>${rsn('AM04')}`)),
      ),
    );
    expect(file.groupStatus).toEqual({ status: 'rejected', reasonCode: 'FF01' });
    expect(file.blocks).toEqual([{ paymentInfoId: 'B1', status: 'settled' }]);
    expect(file.lines).toEqual([
      { endToEndId: 'E1', status: 'settled' },
      { endToEndId: 'E2', status: 'rejected', reasonCode: 'AM04' },
    ]);
    const none = parseReturnXml(pain002(group() + block(tx('<OrgnlEndToEndId>E3</OrgnlEndToEndId>'))));
    expect(none.problems).toEqual([{ at: 'OrgnlPmtInfAndSts[1].TxInfAndSts[1]', message: 'Statut de transaction absent (E3)' }]);
  });

  it('reports unknown group and block statuses, unusable blocks and transactions, missing reasons, foreign or unreadable amounts', () => {
    const file = parseReturnXml(
      pain002(
        group('ZZZZ') +
          block('<PmtInfSts>ZZZZ</PmtInfSts>') +
          block('<OrgnlPmtInfId>B 1 é</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts>') +
          block(
            '<OrgnlPmtInfId>B2</OrgnlPmtInfId>' +
              tx('<TxSts>RJCT</TxSts>') +
              tx('<OrgnlEndToEndId>NOTPROVIDED</OrgnlEndToEndId><TxSts>RJCT</TxSts>') +
              tx('<OrgnlEndToEndId>E é</OrgnlEndToEndId><TxSts>RJCT</TxSts>') +
              tx('<OrgnlEndToEndId>E4</OrgnlEndToEndId><TxSts>RJCT</TxSts><OrgnlTxRef><Amt><InstdAmt Ccy="USD">1.00</InstdAmt></Amt><ReqdColltnDt><Dt>2026-04-07</Dt></ReqdColltnDt></OrgnlTxRef>') +
              tx(`<OrgnlEndToEndId>E5</OrgnlEndToEndId><TxSts>RJCT</TxSts>${rsn('P'.repeat(36), 'Prtry')}<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">1.005</InstdAmt></Amt></OrgnlTxRef>`),
          ),
      ),
    );
    expect(file.problems).toEqual([
      { at: 'OrgnlGrpInfAndSts', message: 'Statut de groupe inconnu « ZZZZ »' },
      { at: 'OrgnlPmtInfAndSts[1]', message: 'Statut de lot inconnu « ZZZZ »' },
      { at: 'OrgnlPmtInfAndSts[1]', message: 'Lot sans identifiant (OrgnlPmtInfId) ni transaction : ignoré' },
      { at: 'OrgnlPmtInfAndSts[2]', message: 'Identifiant de lot illisible « B 1 é »' },
      { at: 'OrgnlPmtInfAndSts[2]', message: 'Lot sans identifiant (OrgnlPmtInfId) ni transaction : ignoré' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[1]', message: 'Transaction sans référence de bout en bout (OrgnlEndToEndId) : impossible de la rapprocher' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[2]', message: 'Transaction sans référence de bout en bout (OrgnlEndToEndId) : impossible de la rapprocher' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[3]', message: 'Référence de bout en bout illisible « E é » : transaction ignorée' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[4]', message: 'Rejet de E4 sans code motif' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[4]', message: 'Montant en USD : seuls les euros sont pris en charge' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[5]', message: `Code motif illisible « ${'P'.repeat(36)} » : ignoré` },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[5]', message: 'Rejet de E5 sans code motif' },
      { at: 'OrgnlPmtInfAndSts[3].TxInfAndSts[5]', message: 'Montant illisible « 1.005 »' },
    ]);
    expect(file.lines).toEqual([
      { endToEndId: 'E4', status: 'rejected', date: '2026-04-07' },
      { endToEndId: 'E5', status: 'rejected' },
    ]);
    expect(file.groupStatus).toBeUndefined();
  });

  it('says when it holds no status at all, and refuses one without its references', () => {
    expect(parseReturnXml(pain002(group())).problems).toEqual([{ at: 'OrgnlGrpInfAndSts', message: 'Rapport sans statut de groupe, de lot ni de transaction' }]);
    expect(parseReturnXml(pain002(group('ACCP'))).problems).toEqual([]);
    expect(refusal(() => parseReturnXml(pain002(group(), '')))).toBe('Fichier pain.002.001.10 incomplet : identifiant du message (GrpHdr/MsgId) absent');
    expect(refusal(() => parseReturnXml(pain002(group(), '<GrpHdr><MsgId>M 1 é</MsgId></GrpHdr>')))).toBe('Fichier pain.002.001.10 refusé : identifiant du message (GrpHdr/MsgId) illisible « M 1 é »');
    expect(refusal(() => parseReturnXml(pain002('<OrgnlGrpInfAndSts/>')))).toBe("Fichier pain.002.001.10 incomplet : message d'origine (OrgnlGrpInfAndSts/OrgnlMsgId) absent");
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><Autre/></Document>'))).toBe('Fichier pain.002.001.03 incomplet : élément CstmrPmtStsRpt absent');
  });

  it('reads values as text: trimmed, numbers kept as written, entities decoded once', () => {
    const file = parseReturnXml(pain002(group() + block(tx(`<OrgnlEndToEndId>  00420 </OrgnlEndToEndId><TxSts>RJCT</TxSts>${rsn('R&#65;&#x42;&amp;&lt;&gt;&quot;&apos;&amp;lt;&eacute;', 'Prtry')}`)), '<GrpHdr><MsgId> M1 </MsgId></GrpHdr>'));
    expect(file.messageId).toBe('M1');
    expect(file.lines).toEqual([{ endToEndId: '00420', status: 'rejected', reasonCode: 'RAB&<>"\'&lt;&eacute;' }]);
  });

  it('turns character references outside XML\'s characters, or controls, into U+FFFD', () => {
    const reasonOf = (ref: string) => parseReturnXml(pain002(group() + block(tx(`<OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts>${rsn(`X${ref}`, 'Prtry')}`)))).lines[0]?.reasonCode;
    const REPLACED = '\ufffd';
    const CASES: Record<string, string> = {
      '&#0;': REPLACED, '&#x8;': REPLACED, '&#x1F;': REPLACED, '&#x20;': ' ', '&#x7E;': '~', '&#x7F;': REPLACED, '&#x80;': REPLACED, '&#x9F;': REPLACED, '&#xA0;': '\u00a0',
      '&#xD7FF;': '\ud7ff', '&#xD800;': REPLACED, '&#xDFFF;': REPLACED, '&#xE000;': '\ue000', '&#xFFFD;': '\ufffd', '&#xFFFE;': REPLACED, '&#xFFFF;': REPLACED,
      '&#x10000;': '\u{10000}', '&#x10FFFF;': '\u{10ffff}', '&#x110000;': REPLACED, '&#55295;': '\ud7ff', '&#57344;': '\ue000',
    };
    for (const [ref, char] of Object.entries(CASES)) expect(reasonOf(ref), ref).toBe(`X${char}`);
    // Tab, line feed and carriage return are XML characters, but no reason code holds them.
    for (const ref of ['&#x9;', '&#xA;', '&#xD;']) expect(reasonOf(ref), ref).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
const camt = (entries: string, header = '<GrpHdr><MsgId>C1</MsgId></GrpHdr>') =>
  `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${header}<Ntfctn>${entries}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
const entry = (inner: string, status = '<Sts><Cd>BOOK</Cd></Sts>') => `<Ntry><Amt Ccy="EUR">9.99</Amt>${status}${inner}</Ntry>`;
const details = (...txs: string[]) => `<NtryDtls>${txs.map((t) => `<TxDtls>${t}</TxDtls>`).join('')}</NtryDtls>`;
const ref = (id: string) => `<Refs><EndToEndId>${id}</EndToEndId></Refs>`;

describe('a camt.054', () => {
  it('reads the amount of a detail wherever it is, else the entry\'s when it has one detail', () => {
    const file = camt(
      entry(`<CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-04-08</Dt></ValDt>${details(`${ref('A1')}<AmtDtls><TxAmt><Amt Ccy="EUR">1.10</Amt></TxAmt></AmtDtls>`, `${ref('A2')}<AmtDtls><InstdAmt><Amt Ccy="EUR">2.20</Amt></InstdAmt></AmtDtls>`, ref('A3'))}`) +
        entry(`<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><DtTm>2026-04-09T08:00:00</DtTm></BookgDt>${details(ref('A4'))}`) +
        entry(`<CdtDbtInd>CRDT</CdtDbtInd><ValDt><DtTm>2026-04-10T08:00:00</DtTm></ValDt>${details(`${ref('A5')}<Amt Ccy="EUR">5.50</Amt>`)}`),
    );
    expect(parseReturnXml(file).lines).toEqual([
      { endToEndId: 'A1', status: 'settled', amountCents: 110, date: '2026-04-08' },
      { endToEndId: 'A2', status: 'settled', amountCents: 220, date: '2026-04-08' },
      { endToEndId: 'A3', status: 'settled', date: '2026-04-08' },
      { endToEndId: 'A4', status: 'settled', amountCents: 999, date: '2026-04-09' },
      { endToEndId: 'A5', status: 'settled', amountCents: 550, date: '2026-04-10' },
    ]);
  });

  it('reports what it cannot use: not booked, no detail, no reference, a debit without return reason, a reversal, a return without code', () => {
    const file = parseReturnXml(
      camt(
        entry(details(ref('P1')), '<Sts><Prtry>PDNG</Prtry></Sts>') +
          entry(details(ref('P2')), '') +
          entry('<CdtDbtInd>CRDT</CdtDbtInd>') +
          entry(`<CdtDbtInd>CRDT</CdtDbtInd>${details('<Refs/>', ref('NOTPROVIDED'), ref('R é'))}`) +
          entry(`<CdtDbtInd>DBIT</CdtDbtInd>${details(ref('D1'))}`) +
          entry(`<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd>${details(ref('D2'))}`) +
          entry(`<CdtDbtInd>DBIT</CdtDbtInd>${details(`${ref('D3')}<RtrInf><AddtlInf>x</AddtlInf></RtrInf>`, `${ref('D4')}<CdtDbtInd>CRDT</CdtDbtInd>`)}`),
      ),
    );
    expect(file.problems).toEqual([
      { at: 'Ntfctn[1].Ntry[1]', message: 'Écriture non comptabilisée (statut PDNG) : ignorée' },
      { at: 'Ntfctn[1].Ntry[2]', message: 'Écriture non comptabilisée (statut absent) : ignorée' },
      { at: 'Ntfctn[1].Ntry[3]', message: 'Écriture sans détail de transaction (TxDtls) : impossible de la rapprocher' },
      { at: 'Ntfctn[1].Ntry[4].TxDtls[1]', message: 'Transaction sans référence de bout en bout (Refs/EndToEndId) : impossible de la rapprocher' },
      { at: 'Ntfctn[1].Ntry[4].TxDtls[2]', message: 'Transaction sans référence de bout en bout (Refs/EndToEndId) : impossible de la rapprocher' },
      { at: 'Ntfctn[1].Ntry[4].TxDtls[3]', message: 'Référence de bout en bout illisible « R é » : transaction ignorée' },
      { at: 'Ntfctn[1].Ntry[5].TxDtls[1]', message: 'Débit de D1 sans motif de retour (RtrInf) : ignoré' },
      { at: 'Ntfctn[1].Ntry[6].TxDtls[1]', message: 'Débit de D2 sans motif de retour (RtrInf) : ignoré' },
      { at: 'Ntfctn[1].Ntry[7].TxDtls[1]', message: 'Retour de D3 sans code motif' },
    ]);
    expect(file.lines).toEqual([
      { endToEndId: 'D3', status: 'rejected' },
      { endToEndId: 'D4', status: 'settled' },
    ]);
  });

  it('refuses a notification without its parts', () => {
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><Autre/></Document>'))).toBe('Fichier camt.054.001.02 incomplet : élément BkToCstmrDbtCdtNtfctn absent');
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>C1</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>'))).toBe(
      'Fichier camt.054.001.08 incomplet : aucune notification (Ntfctn)',
    );
    expect(refusal(() => parseReturnXml(camt(entry(''), '')))).toBe('Fichier camt.054.001.08 incomplet : identifiant du message (GrpHdr/MsgId) absent');
  });
});

// ---------------------------------------------------------------------------------------------
describe('any XML', () => {
  it('is refused before parsing when it declares markup, nests too deep or is too big', () => {
    const deep = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(() => assertPlainXml(deep(64))).not.toThrow();
    expect(refusal(() => assertPlainXml(deep(65)))).toBe("Fichier XML refusé : plus de 64 niveaux d'éléments imbriqués");
    // Self-closing elements, closing tags, comments, CDATA and processing instructions do not nest.
    expect(() => assertPlainXml(`<?xml version="1.0"?>${'<a>'.repeat(63)}<b/><c x="/>"/><!-- <d> --><![CDATA[<e>]]><?pi <f>?>${'</a>'.repeat(63)}`)).not.toThrow();
    expect(() => assertPlainXml(`${'<a x=">">'.repeat(64)}${'</a>'.repeat(64)}`)).not.toThrow();
    expect(refusal(() => assertPlainXml(`${'<a x=\'>\'>'.repeat(65)}`))).toMatch(/plus de 64 niveaux/);
    expect(() => assertPlainXml('<a><!-- unclosed')).not.toThrow();
    expect(() => assertPlainXml('<a x="unclosed')).not.toThrow();
    for (const declaration of ['<!DOCTYPE d>', '<a><!ENTITY x "y"></a>', '<!ELEMENT a ANY>']) {
      expect(refusal(() => assertPlainXml(declaration)), declaration).toBe('Fichier XML refusé : déclaration DOCTYPE ou ENTITY non autorisée');
    }
    expect(refusal(() => assertPlainXml(`<a>${'x'.repeat(MAX_RETURN_XML_CHARS)}</a>`))).toBe('Fichier XML trop volumineux : 10 Mo au plus');
    expect(() => assertPlainXml('x'.repeat(MAX_RETURN_XML_CHARS))).not.toThrow();
  });

  it('is recognised by its root and ISO 20022 namespace, or refused saying what it is', () => {
    expect(refusal(() => parseReturnXml('<Racine/>'))).toBe(
      'Fichier XML non reconnu : élément racine « Racine » au lieu de Document (attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV)',
    );
    expect(refusal(() => parseReturnXml('<Document/>'))).toBe('Fichier XML vide : élément Document sans contenu');
    expect(refusal(() => parseReturnXml('<Document><A/></Document>'))).toBe(
      "Espace de noms inconnu (absent) : ce n'est pas un message ISO 20022 (attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV)",
    );
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:example" xmlns:x="urn:other"><A/></Document>'))).toBe(
      "Espace de noms inconnu « urn:example urn:other » : ce n'est pas un message ISO 20022 (attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV)",
    );
    expect(refusal(() => parseReturnXml('<Document xmlns="xurn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><A/></Document>'))).toMatch(/^Espace de noms inconnu/);
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10x"><A/></Document>'))).toMatch(/^Espace de noms inconnu/);
    expect(refusal(() => parseReturnXml('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><A/></Document>'))).toBe(
      'Message ISO 20022 camt.053.001.08 non pris en charge (attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV)',
    );
    expect(refusal(() => parseReturnXml('<Document><a></Document>'))).toMatch(/^Fichier XML mal formé \(ligne 1\) : /);
    // A namespace declared with a prefix is read too.
    const prefixed = parseReturnXml('<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><p:CstmrPmtStsRpt><p:GrpHdr><p:MsgId>M1</p:MsgId></p:GrpHdr><p:OrgnlGrpInfAndSts><p:OrgnlMsgId>O1</p:OrgnlMsgId><p:GrpSts>RJCT</p:GrpSts></p:OrgnlGrpInfAndSts></p:CstmrPmtStsRpt></p:Document>');
    expect(prefixed).toMatchObject({ fileKind: 'pain.002.001.03', messageId: 'M1', originalMessageId: 'O1', groupStatus: { status: 'rejected' } });
  });
});

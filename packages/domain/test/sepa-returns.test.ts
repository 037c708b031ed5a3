import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAmountCents } from '../src/sepa/bank-return-types.ts';
import { parseBankReturnFile } from '../src/sepa/bank-returns.ts';
import { DomainError } from '../src/shared/errors.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', 'sepa', name));

function refusal(content: string | Uint8Array): DomainError {
  try {
    parseBankReturnFile(content);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('pain.002 payment status reports', () => {
  it('001.03: one RJCT AM04 and one ACCP, with amounts and dates', () => {
    const file = parseBankReturnFile(fixture('pain.002.001.03.xml'));
    expect(file).toEqual({
      fileKind: 'pain.002.001.03',
      messageId: 'STS-20261203-000451',
      originalMessageId: 'B2026-000123',
      blocks: [],
      lines: [
        { endToEndId: 'E2E-2026-000001', status: 'rejected', reasonCode: 'AM04', amountCents: 4990, date: '2026-12-05' },
        { endToEndId: 'E2E-2026-000002', status: 'accepted', amountCents: 3500, date: '2026-12-05' },
      ],
      problems: [],
    });
  });

  it('001.10: a whole block rejected (DT01), transaction statuses, a detail without reference reported', () => {
    const file = parseBankReturnFile(fixture('pain.002.001.10.xml').toString('utf8'));
    expect(file.fileKind).toBe('pain.002.001.10');
    expect(file.messageId).toBe('PSR/2026/12/03/0007');
    expect(file.originalMessageId).toBe('B2026-000124');
    expect(file.groupStatus).toBeUndefined();
    expect(file.blocks).toEqual([{ paymentInfoId: 'B2026-000124-1', status: 'rejected', reasonCode: 'DT01' }]);
    expect(file.lines).toEqual([
      { endToEndId: 'E2E-2026-000010', status: 'rejected', reasonCode: 'MS03', amountCents: 12000, date: '2026-12-07' },
      { endToEndId: 'E2E-2026-000011', status: 'settled', amountCents: 1550 },
    ]);
    expect(file.problems).toEqual([
      { at: 'OrgnlPmtInfAndSts[2].TxInfAndSts[3]', message: 'Transaction sans référence de bout en bout (OrgnlEndToEndId) : impossible de la rapprocher' },
    ]);
  });

  it('a file rejected as a whole (GrpSts RJCT) gives the group status and its reason', () => {
    const xml = `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
      <GrpHdr><MsgId>R1</MsgId><CreDtTm>2026-12-03T08:00:00</CreDtTm></GrpHdr>
      <OrgnlGrpInfAndSts><OrgnlMsgId>B2026-000125</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
      <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>`;
    const file = parseBankReturnFile(xml);
    expect(file.groupStatus).toEqual({ status: 'rejected', reasonCode: 'FF01' });
    expect(file.lines).toEqual([]);
    expect(file.problems).toEqual([]);
  });

  it('refuses a report without its mandatory parts', () => {
    const noOriginal = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>R1</MsgId></GrpHdr></CstmrPmtStsRpt></Document>`;
    expect(refusal(noOriginal).message).toBe("Fichier pain.002.001.03 incomplet : message d'origine (OrgnlGrpInfAndSts/OrgnlMsgId) absent");
    const noMsgId = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr/></CstmrPmtStsRpt></Document>`;
    expect(refusal(noMsgId).message).toBe('Fichier pain.002.001.03 incomplet : identifiant du message (GrpHdr/MsgId) absent');
    const noReport = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><Other/></Document>`;
    expect(refusal(noReport).message).toBe('Fichier pain.002.001.10 incomplet : élément CstmrPmtStsRpt absent');
  });
});

describe('camt.054 debit/credit notifications', () => {
  it('001.02: booked settlements per transaction, a return MD06, a pending entry reported', () => {
    const file = parseBankReturnFile(fixture('camt.054.001.02.xml'));
    expect(file.fileKind).toBe('camt.054.001.02');
    expect(file.messageId).toBe('CAMT054-20261207-0001');
    expect(file.lines).toEqual([
      { endToEndId: 'E2E-2026-000020', status: 'settled', amountCents: 4990, date: '2026-12-05' },
      { endToEndId: 'E2E-2026-000021', status: 'settled', amountCents: 3500, date: '2026-12-05' },
      { endToEndId: 'E2E-2026-000022', status: 'rejected', reasonCode: 'MD06', amountCents: 5990, date: '2026-12-09' },
    ]);
    expect(file.problems).toEqual([{ at: 'Ntfctn[1].Ntry[3]', message: 'Écriture non comptabilisée (statut PDNG) : ignorée' }]);
  });

  it('001.08 with a namespace prefix: Sts/Cd, BookgDt/DtTm, TxDtls/Amt', () => {
    const file = parseBankReturnFile(fixture('camt.054.001.08.xml'));
    expect(file.fileKind).toBe('camt.054.001.08');
    expect(file.messageId).toBe('N054/2026/12/09/42');
    expect(file.lines).toEqual([
      { endToEndId: 'E2E-2026-000030', status: 'rejected', reasonCode: 'MD06', amountCents: 12000, date: '2026-12-09' },
      { endToEndId: 'E2E-2026-000031', status: 'settled', amountCents: 2999, date: '2026-12-08' },
    ]);
    expect(file.problems).toEqual([]);
  });

  it('reports foreign currencies, unreadable amounts and entries it cannot match', () => {
    const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>C1</MsgId></GrpHdr><Ntfctn>
      <Ntry><Amt Ccy="USD">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs><Amt Ccy="USD">10.00</Amt></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="EUR">1.234</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls><Refs><EndToEndId>E2</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts></Ntry>
      <Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls><Refs><EndToEndId>E3</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
      </Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const file = parseBankReturnFile(xml);
    expect(file.lines).toEqual([
      { endToEndId: 'E1', status: 'settled' },
      { endToEndId: 'E2', status: 'settled' },
    ]);
    expect(file.problems.map((p) => p.message)).toEqual([
      'Montant en USD : seuls les euros sont pris en charge',
      'Montant illisible « 1.234 »',
      'Écriture sans détail de transaction (TxDtls) : impossible de la rapprocher',
      'Débit de E3 sans motif de retour (RtrInf) : ignoré',
    ]);
  });
});

describe('CSV returns', () => {
  it('reads the documented columns with ";" (comma decimals, French dates, French status words)', () => {
    const file = parseBankReturnFile(fixture('returns.csv'));
    expect(file.fileKind).toBe('csv');
    expect(file.messageId).toBeNull();
    expect(file.lines).toEqual([
      { endToEndId: 'E2E-2026-000040', status: 'rejected', reasonCode: 'AM04', amountCents: 4990, date: '2026-12-07' },
      { endToEndId: 'E2E-2026-000041', status: 'settled', amountCents: 3500, date: '2026-12-07' },
      { endToEndId: 'E2E-2026-000042', status: 'rejected', reasonCode: 'MD06', amountCents: 1200, date: '2026-12-08' },
    ]);
    expect(file.problems).toEqual([
      { at: 'ligne 5', message: 'Référence de bout en bout (end_to_end_id) vide : ligne ignorée' },
      { at: 'ligne 6', message: 'Statut inconnu « perdu » (rejected, settled ou accepted) : ligne ignorée' },
    ]);
  });

  it('accepts ",", columns in any order, quotes, Windows-1252 bytes', () => {
    const text = 'date,status,end_to_end_id,amount,reason_code\n2026-12-07,RJCT,"E2E-1",12.30,AM04\n2026-12-07,ACSC,E2E-2,7,\n';
    expect(parseBankReturnFile(text).lines).toEqual([
      { endToEndId: 'E2E-1', status: 'rejected', reasonCode: 'AM04', amountCents: 1230, date: '2026-12-07' },
      { endToEndId: 'E2E-2', status: 'settled', amountCents: 700, date: '2026-12-07' },
    ]);
    const cp1252 = Uint8Array.from([...Buffer.from('end_to_end_id;status\nE2E-9;r', 'latin1'), 0xe9, ...Buffer.from('gl', 'latin1'), 0xe9, 0x0a]);
    expect(parseBankReturnFile(cp1252).lines).toEqual([{ endToEndId: 'E2E-9', status: 'settled' }]);
  });

  it('reports missing reason codes and bad amounts on their line, keeps an unknown code as written', () => {
    const file = parseBankReturnFile('end_to_end_id;status;reason_code;amount;date\nE1;rejected;;1,2,3;\nE2;rejected;TOO-LONG;;\nE3;rejected;a\u0007b;;\n');
    expect(file.lines).toEqual([
      { endToEndId: 'E1', status: 'rejected' },
      { endToEndId: 'E2', status: 'rejected', reasonCode: 'TOO-LONG' },
      { endToEndId: 'E3', status: 'rejected' },
    ]);
    expect(file.problems.map((p) => `${p.at}: ${p.message}`)).toEqual([
      'ligne 2: Rejet de E1 sans code motif',
      'ligne 2: Montant illisible « 1,2,3 »',
      'ligne 4: Code motif illisible « a\ufffdb » (ex. AM04)',
    ]);
  });

  it('refuses the whole file, naming the line, for an impossible or far date', () => {
    for (const date of ['2026-02-30', '30/02/2026', '0000-01-01', '9999-12-31', 'demain']) {
      const error = refusal(`end_to_end_id;status;reason_code;amount;date\nE1;settled;;;2026-12-07\nE2;rejected;AM04;;${date}\n`);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.file?.[0]).toMatch(/^ligne 3, colonne date : date illisible ou impossible « .+ » \(fichier refusé/);
    }
  });

  it('skips references that cannot be a SEPA EndToEndId (control characters, too long), quoting them safely', () => {
    const file = parseBankReturnFile(`end_to_end_id;status\nE2E\u001bX;rejected\n${'E'.repeat(36)};settled\nE2E-OK;settled\n`);
    expect(file.lines).toEqual([{ endToEndId: 'E2E-OK', status: 'settled' }]);
    expect(file.problems.map((p) => p.message)).toEqual([
      'Référence de bout en bout illisible « E2E\ufffdX » : ligne ignorée',
      `Référence de bout en bout illisible « ${'E'.repeat(36)} » : ligne ignorée`,
    ]);
    expect(JSON.stringify(file)).not.toContain('\\u001b');
    // A NUL byte: not a text file at all.
    expect(refusal(Uint8Array.from([...Buffer.from('end_to_end_id;status\nE2E-1'), 0, ...Buffer.from(';settled\n')])).fieldErrors?.file?.[0]).toMatch(/contenu binaire/);
  });

  it('refuses a text that is neither ISO XML nor the returns CSV', () => {
    expect(refusal('name;email\nA;b@c.fr\n').message).toBe(
      'Fichier non reconnu : ni XML ISO 20022, ni CSV de retours (colonnes end_to_end_id, status absentes ; en-tête attendu : end_to_end_id;status;reason_code;amount;date)',
    );
    expect(refusal('   ').message).toBe('Fichier vide');
    expect(refusal(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0])).code).toBe('BAD_REQUEST');
  });
});

describe('malformed and foreign files', () => {
  it('malformed XML is refused with its line', () => {
    const error = refusal('<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">\n<CstmrPmtStsRpt><GrpHdr></CstmrPmtStsRpt></Document>');
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^Fichier XML mal formé \(ligne 3\) : /);
    expect(error.fieldErrors?.file?.[0]).toBe(error.message);
    expect(refusal(Buffer.from('<Document><Unclosed></Document>')).message).toMatch(/^Fichier XML mal formé/);
  });

  it('another ISO 20022 message (pain.001) is refused by name', () => {
    expect(refusal(fixture('pain.001.001.09.xml')).message).toBe(
      'Message ISO 20022 pain.001.001.09 non pris en charge (attendu : pain.002 (001.03 ou 001.10), camt.054 (001.02 ou 001.08) ou CSV)',
    );
  });

  it('our own pain.008 sent back, an unknown namespace, another root, a DOCTYPE, non-UTF-8 XML', () => {
    expect(refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"><CstmrDrctDbtInitn/></Document>').message).toMatch(/^Message ISO 20022 pain.008.001.08 non pris en charge/);
    expect(refusal('<Document xmlns="urn:example:bank"><X/></Document>').message).toMatch(/^Espace de noms inconnu « urn:example:bank » : ce n'est pas un message ISO 20022/);
    expect(refusal('<Document><X/></Document>').message).toMatch(/^Espace de noms inconnu \(absent\)/);
    expect(refusal('<html><body>Erreur 500</body></html>').message).toMatch(/^Fichier XML non reconnu : élément racine « html » au lieu de Document/);
    expect(refusal('<!DOCTYPE d [<!ENTITY a "aaaa">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">&a;</Document>').message).toBe(
      'Fichier XML refusé : déclaration DOCTYPE ou ENTITY non autorisée',
    );
    expect(refusal(Uint8Array.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e])).message).toBe('Encodage invalide : un fichier XML de la banque doit être en UTF-8');
  });
});

describe('amounts', () => {
  it('parses euros to cents without floating point', () => {
    expect(parseAmountCents('0.1')).toBe(10);
    expect(parseAmountCents('12,30')).toBe(1230);
    expect(parseAmountCents('999999999.99')).toBe(99_999_999_999);
    expect(parseAmountCents('5.000')).toBe(500);
    expect(parseAmountCents('5.001')).toBeNull();
    expect(parseAmountCents('-5')).toBeNull();
    expect(parseAmountCents('1e3')).toBeNull();
  });
});

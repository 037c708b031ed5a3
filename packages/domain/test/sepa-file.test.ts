import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/shared/errors.ts';
import { isSepaText, toSepaText } from '../src/sepa/sepa-charset.ts';
import { buildSepaDirectDebitFile, prepareSepaDirectDebitFile } from '../src/sepa/sepa-direct-debit-file.ts';
import { type SepaDirectDebit, type SepaDirectDebitFileInput } from '../src/sepa/sepa-direct-debit-types.ts';
import { formatCents, SEPA_FILE_CHUNK_DEBITS } from '../src/sepa/sepa-xml-writer.ts';
import { isValidCreditorIdentifier, isValidMandateReference, isValidSepaBic, isValidSepaIban } from '../src/sepa/sepa-identifiers.ts';
import { ZCreditorIdentifier, ZMandateReference, ZSepaBic, ZSepaIban } from '../src/sepa/sepa.schema.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_XSD_DIR, validateAgainstXsd, VENDORED_XSD_DIR } from './sepa-xsd.ts';

const VERSIONS = ['pain.008.001.08', 'pain.008.001.02'] as const;

function debit(n: number, over: Partial<SepaDirectDebit> = {}): SepaDirectDebit {
  return {
    endToEndId: `E2E-${String(n).padStart(6, '0')}`,
    amountCents: 4990,
    sequenceType: 'RCUR',
    collectionDate: '2026-12-07',
    mandateId: `RUM-${String(n).padStart(6, '0')}`,
    mandateSignatureDate: '2026-10-15',
    debtor: { name: `Client ${n}`, iban: 'FR1420041010050500013M02606' },
    ...over,
  };
}

function input(debits: SepaDirectDebit[], over: Partial<SepaDirectDebitFileInput> = {}): SepaDirectDebitFileInput {
  return {
    messageId: 'B2026-000123',
    createdAt: '2026-12-01T09:30:00',
    creditor: {
      name: 'Énergies Douces SAS',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      bic: 'AGRIFRPP',
      creditorId: 'FR72ZZZ123456',
      address: { streetName: 'Rue de la Paix', buildingNumber: '12', postalCode: '75002', townName: 'Paris', country: 'FR' },
    },
    debits,
    ...over,
  };
}

/** Everything the file says, one realistic batch: accents, amendments, addresses, BIC or not. */
const RICH: SepaDirectDebit[] = [
  debit(1, {
    sequenceType: 'FRST',
    amountCents: 1234,
    debtor: {
      name: 'Françoise Lœw-Müller',
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
      address: { streetName: 'Hauptstraße', buildingNumber: '5a', postalCode: '10115', townName: 'Berlin', country: 'DE' },
    },
    remittanceInformation: 'Contrat n° 2026-17 – échéance de décembre « confort »',
  }),
  debit(2, { amountCents: 5, amendment: { originalMandateId: 'RUM-OLD-000002', originalCreditorId: 'FR72ZZZ123456', originalCreditorName: 'Ancien Créancier' } }),
  debit(3, { amountCents: 100000, amendment: { originalDebtorIban: 'FR7630006000011234567890189' } }),
  debit(4, { amountCents: 2500, amendment: { debtorBankChanged: true }, debtor: { name: 'Jean Dupont', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPXXX' } }),
  debit(5, {
    sequenceType: 'OOFF',
    collectionDate: '2026-12-10',
    debtor: { name: 'Ærøskøbing & Søn', iban: 'GB29 NWBK 6016 1331 9268 19', address: { streetName: 'High Street', postalCode: 'SW1A 1AA', townName: 'London', country: 'GB' } },
  }),
  debit(6, { sequenceType: 'FNAL', collectionDate: '2026-12-10' }),
];

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const count = (xml: string, tag: string) => xml.split(`<${tag}>`).length - 1;

describe('pain.008 files against the official XSDs', () => {
  for (const version of VERSIONS) {
    it(`${version}: a batch with every feature validates`, () => {
      const file = buildSepaDirectDebitFile(input(RICH, { version, batchBooking: true }));
      const result = validateAgainstXsd(file.xml, version);
      expect(result.output).toContain('validates');
      expect(result.valid).toBe(true);
      expect(file.xml).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"`);
    });
  }

  it('xmllint does refuse a broken file (the check above can fail)', () => {
    const xml = buildSepaDirectDebitFile(input([debit(1)])).xml.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>');
    const result = validateAgainstXsd(xml, 'pain.008.001.08');
    expect(result.valid).toBe(false);
    expect(result.output).toContain('ChrgBr');
  });

  it('BICFI in .08, BIC in .02; NOTPROVIDED when the debtor gave no BIC', () => {
    const v8 = buildSepaDirectDebitFile(input(RICH)).xml;
    const v2 = buildSepaDirectDebitFile(input(RICH, { version: 'pain.008.001.02' })).xml;
    expect(v8).toContain('<DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt>');
    expect(v2).toContain('<DbtrAgt><FinInstnId><BIC>COBADEFFXXX</BIC></FinInstnId></DbtrAgt>');
    expect(v8).not.toContain('<BIC>');
    expect(v8.split('<Othr><Id>NOTPROVIDED</Id></Othr>').length - 1).toBe(4);
  });

  it('debtor address: structured in .08, Ctry + AdrLine in .02', () => {
    const v8 = buildSepaDirectDebitFile(input(RICH)).xml;
    const v2 = buildSepaDirectDebitFile(input(RICH, { version: 'pain.008.001.02' })).xml;
    expect(v8).toContain('<Dbtr><Nm>Francoise Loew-Muller</Nm><PstlAdr><StrtNm>Hauptstrasse</StrtNm><BldgNb>5a</BldgNb><PstCd>10115</PstCd><TwnNm>Berlin</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>');
    expect(v2).toContain('<PstlAdr><Ctry>DE</Ctry><AdrLine>5a Hauptstrasse</AdrLine><AdrLine>10115 Berlin</AdrLine></PstlAdr>');
  });
});

describe('SEPA Latin character set', () => {
  it('transliterates accents, ligatures, quotes and anything else', () => {
    expect(toSepaText('Éric Gaëlle Çà œuvre Straße')).toBe('Eric Gaelle Ca oeuvre Strasse');
    expect(toSepaText('L’Hôtel « Le Bœuf » – n° 5 & fils')).toBe("L'Hotel 'Le Boeuf' - no 5 + fils");
    expect(toSepaText('Ærøskøbing  Łódź\tß')).toBe('AEroskobing Lodz ss');
    expect(toSepaText('Prix: 10€ @ 50% #1 *')).toBe('Prix: 10EUR . 50. .1 .');
    expect(toSepaText('日本')).toBe('..');
    expect(toSepaText("A-z 0/9 ? : ( ) . , ' +")).toBe("A-z 0/9 ? : ( ) . , ' +");
    expect(toSepaText('A😀B «Le» Cafe\u0301 Ạ  ')).toBe("A.B 'Le' Cafe A");
    expect(toSepaText('  déjà\u00a0vu\n', 6)).toBe('deja v');
  });

  it('leaves no character outside the set in any text of a file', () => {
    const xml = buildSepaDirectDebitFile(input(RICH)).xml;
    const texts = [...xml.matchAll(/>([^<]+)</g)].map((m) => m[1]!).filter((t) => t.trim() !== '');
    expect(texts.length).toBeGreaterThan(50);
    for (const text of texts) expect(isSepaText(text), text).toBe(true);
    expect(xml).toContain('<Ustrd>Contrat no 2026-17 - echeance de decembre \'confort\'</Ustrd>');
    expect(xml).toContain('<Nm>AEroskobing + Son</Nm>');
    expect(xml).toContain('<Nm>Energies Douces SAS</Nm>');
  });
});

describe('control sums and counts', () => {
  it('NbOfTxs and CtrlSum (2 decimals, from integer cents) per block and for the file', () => {
    const file = buildSepaDirectDebitFile(input([debit(1, { amountCents: 10 }), debit(2, { amountCents: 20 }), debit(3, { amountCents: 99_999_999_999 }), debit(4, { amountCents: 1, sequenceType: 'FRST' })]));
    expect(file.numberOfTransactions).toBe(4);
    expect(file.controlSumCents).toBe(100_000_000_030);
    expect(file.xml).toContain('<GrpHdr><MsgId>B2026-000123</MsgId><CreDtTm>2026-12-01T09:30:00</CreDtTm><NbOfTxs>4</NbOfTxs><CtrlSum>1000000000.30</CtrlSum>');
    expect(file.xml).toContain('<NbOfTxs>1</NbOfTxs><CtrlSum>0.01</CtrlSum>');
    expect(file.xml).toContain('<NbOfTxs>3</NbOfTxs><CtrlSum>1000000000.29</CtrlSum>');
    expect(file.xml).toContain('<InstdAmt Ccy="EUR">0.10</InstdAmt>');
    expect(file.xml).toContain('<InstdAmt Ccy="EUR">999999999.99</InstdAmt>');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(105)).toBe('1.05');
  });

  it('the sums in the XML add up to the amounts in it', () => {
    const xml = buildSepaDirectDebitFile(input(RICH)).xml;
    const amounts = [...xml.matchAll(/<InstdAmt Ccy="EUR">(\d+)\.(\d{2})<\/InstdAmt>/g)].map((m) => Number(m[1]) * 100 + Number(m[2]));
    const sums = [...xml.matchAll(/<CtrlSum>(\d+)\.(\d{2})<\/CtrlSum>/g)].map((m) => Number(m[1]) * 100 + Number(m[2]));
    expect(amounts).toHaveLength(6);
    expect(sums[0]).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(sums.slice(1).reduce((a, b) => a + b, 0)).toBe(sums[0]);
  });

  it('refuses amounts that are not positive integer cents within the EPC maximum', () => {
    for (const amountCents of [0, -5, 12.5, 100_000_000_000, Number.NaN]) {
      const error = refusal(() => buildSepaDirectDebitFile(input([debit(1, { amountCents })])));
      expect(error.fieldErrors?.['debits.0.amountCents']?.[0]).toMatch(/Montant invalide/);
    }
  });
});

describe('determinism and streaming', () => {
  it('the same input gives byte-identical output; a Date gives the same as its string', () => {
    const a = buildSepaDirectDebitFile(input(RICH)).xml;
    const b = buildSepaDirectDebitFile(structuredClone(input(RICH))).xml;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const withDate = buildSepaDirectDebitFile(input(RICH, { createdAt: new Date('2026-12-01T09:30:00Z') })).xml;
    expect(withDate).toContain('<CreDtTm>2026-12-01T09:30:00Z</CreDtTm>');
    expect(withDate.replace('09:30:00Z', '09:30:00')).toBe(a);
  });

  it('chunks of at most SEPA_FILE_CHUNK_DEBITS transactions join to the same file', () => {
    const many = Array.from({ length: 2_500 }, (_, i) => debit(i, { sequenceType: i < 700 ? 'FRST' : 'RCUR' }));
    const { chunks, summary } = prepareSepaDirectDebitFile(input(many));
    const parts = [...chunks()];
    expect(parts.join('')).toBe(buildSepaDirectDebitFile(input(many)).xml);
    const perChunk = parts.map((p) => p.split('<DrctDbtTxInf>').length - 1).filter((n) => n > 0);
    expect(perChunk).toEqual([500, 200, 500, 500, 500, 300]);
    expect(SEPA_FILE_CHUNK_DEBITS).toBe(500);
    expect(summary.numberOfTransactions).toBe(2_500);
  });

  it('refuses a creation date-time that is not ISO', () => {
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1)], { createdAt: '01/12/2026 09:30' }))).fieldErrors?.createdAt).toBeDefined();
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1)], { createdAt: '2026-02-30T09:30:00' }))).fieldErrors?.createdAt).toBeDefined();
  });
});

describe('payment information blocks', () => {
  it('one PmtInf per (collection date, instrument, sequence type), in a fixed order', () => {
    const debits = [
      debit(1, { collectionDate: '2026-12-10', sequenceType: 'RCUR' }),
      debit(2, { collectionDate: '2026-12-07', sequenceType: 'RCUR' }),
      debit(3, { collectionDate: '2026-12-07', sequenceType: 'FRST' }),
      debit(4, { collectionDate: '2026-12-10', sequenceType: 'RCUR' }),
      debit(5, { collectionDate: '2026-12-07', sequenceType: 'FNAL' }),
      debit(6, { collectionDate: '2026-12-07', sequenceType: 'OOFF' }),
      debit(7, { collectionDate: '2026-12-07', sequenceType: 'FRST' }),
    ];
    const file = buildSepaDirectDebitFile(input(debits));
    expect(file.paymentInfos.map((p) => [p.paymentInfoId, p.sequenceType, p.collectionDate, p.endToEndIds])).toEqual([
      ['B2026-000123-1', 'FRST', '2026-12-07', ['E2E-000003', 'E2E-000007']],
      ['B2026-000123-2', 'RCUR', '2026-12-07', ['E2E-000002']],
      ['B2026-000123-3', 'OOFF', '2026-12-07', ['E2E-000006']],
      ['B2026-000123-4', 'FNAL', '2026-12-07', ['E2E-000005']],
      ['B2026-000123-5', 'RCUR', '2026-12-10', ['E2E-000001', 'E2E-000004']],
    ]);
    expect(count(file.xml, 'PmtInf')).toBe(5);
    const seqs = [...file.xml.matchAll(/<SeqTp>(\w+)<\/SeqTp><\/PmtTpInf><ReqdColltnDt>([\d-]+)</g)].map((m) => `${m[1]} ${m[2]}`);
    expect(seqs).toEqual(['FRST 2026-12-07', 'RCUR 2026-12-07', 'OOFF 2026-12-07', 'FNAL 2026-12-07', 'RCUR 2026-12-10']);
    expect(validateAgainstXsd(file.xml, 'pain.008.001.08').valid).toBe(true);
  });

  it('CORE and B2B: refused together by default (EPC), separate blocks when the bank allows it', () => {
    const debits = [debit(1), debit(2, { localInstrument: 'B2B' }), debit(3, { localInstrument: 'CORE' })];
    expect(refusal(() => buildSepaDirectDebitFile(input(debits))).message).toMatch(/mélanger prélèvements CORE et B2B/);
    const file = buildSepaDirectDebitFile(input(debits, { allowMixedLocalInstruments: true }));
    expect(file.paymentInfos.map((p) => [p.localInstrument, p.endToEndIds])).toEqual([
      ['CORE', ['E2E-000001', 'E2E-000003']],
      ['B2B', ['E2E-000002']],
    ]);
    expect(file.xml).toContain('<LclInstrm><Cd>B2B</Cd></LclInstrm>');
    const b2bOnly = buildSepaDirectDebitFile(input([debit(1, { localInstrument: 'B2B' })]));
    expect(validateAgainstXsd(b2bOnly.xml, 'pain.008.001.08').valid).toBe(true);
  });

  it("uses the caller's PmtInfIds and refuses duplicates or bad ones", () => {
    const debits = [debit(1, { sequenceType: 'FRST' }), debit(2)];
    const file = buildSepaDirectDebitFile(input(debits, { paymentInfoIds: { 'CORE/FRST/2026-12-07': 'LOT-FRST-1', 'CORE/RCUR/2026-12-07': 'LOT-RCUR-1' } }));
    expect(file.paymentInfos.map((p) => p.paymentInfoId)).toEqual(['LOT-FRST-1', 'LOT-RCUR-1']);
    const duplicate = refusal(() => buildSepaDirectDebitFile(input(debits, { paymentInfoIds: { 'CORE/FRST/2026-12-07': 'LOT', 'CORE/RCUR/2026-12-07': 'LOT' } })));
    expect(duplicate.fieldErrors?.['paymentInfoIds.CORE/RCUR/2026-12-07']?.[0]).toMatch(/en double/);
    const tooLong = refusal(() => buildSepaDirectDebitFile(input(debits, { messageId: 'M'.repeat(34) })));
    expect(tooLong.fieldErrors?.['paymentInfoIds.CORE/FRST/2026-12-07']?.[0]).toMatch(/35 caractères au plus/);
  });
});

describe('mandate amendments', () => {
  it('writes AmdmntInd and the EPC details: new RUM, creditor, account, bank (SMNDA)', () => {
    const xml = buildSepaDirectDebitFile(input(RICH)).xml;
    expect(xml).toContain(
      '<MndtId>RUM-000002</MndtId><DtOfSgntr>2026-10-15</DtOfSgntr><AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlMndtId>RUM-OLD-000002</OrgnlMndtId>' +
        '<OrgnlCdtrSchmeId><Nm>Ancien Creancier</Nm><Id><PrvtId><Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></OrgnlCdtrSchmeId></AmdmntInfDtls>',
    );
    expect(xml).toContain('<AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlDbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></OrgnlDbtrAcct></AmdmntInfDtls>');
    expect(xml).toContain('<AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt></AmdmntInfDtls>');
    expect(xml).toContain('<MndtId>RUM-000001</MndtId><DtOfSgntr>2026-10-15</DtOfSgntr><AmdmntInd>false</AmdmntInd></MndtRltdInf>');
  });

  it('refuses amendments that say nothing, contradict themselves or repeat the current values', () => {
    const cases: [Partial<SepaDirectDebit>, string, RegExp][] = [
      [{ amendment: {} }, 'debits.0.amendment', /sans aucun changement/],
      [{ amendment: { originalDebtorIban: 'FR7630006000011234567890189', debtorBankChanged: true } }, 'debits.0.amendment.originalDebtorIban', /SMNDA/],
      [{ amendment: { originalMandateId: 'RUM-000001' } }, 'debits.0.amendment.originalMandateId', /identique/],
      [{ amendment: { originalDebtorIban: 'FR1420041010050500013M02606' } }, 'debits.0.amendment.originalDebtorIban', /identique/],
      [{ amendment: { originalDebtorIban: 'FR7630006000011234567890188' } }, 'debits.0.amendment.originalDebtorIban', /Ancien IBAN invalide/],
      [{ amendment: { originalCreditorId: 'FR73ZZZ123456' } }, 'debits.0.amendment.originalCreditorId', /ICS/],
    ];
    for (const [over, pathKey, message] of cases) {
      const error = refusal(() => buildSepaDirectDebitFile(input([debit(1, over)])));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors?.[pathKey]?.[0], pathKey).toMatch(message);
    }
  });
});

describe('length limits', () => {
  it('cuts free texts to the EPC lengths after transliteration (names 70, remittance 140, town 35)', () => {
    const long = buildSepaDirectDebitFile(
      input([
        debit(1, {
          debtor: { name: `${'ß'.repeat(40)} ${'Dupont'.repeat(10)}`, iban: 'FR1420041010050500013M02606', address: { townName: 'Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson', country: 'FR' } },
          remittanceInformation: 'Échéance '.repeat(30),
        }),
      ], { creditor: { ...input([]).creditor, name: 'N'.repeat(90) } }),
    ).xml;
    const texts = (tag: string) => [...long.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);
    expect(texts('Nm').every((n) => n.length <= 70)).toBe(true);
    expect(texts('Nm')).toContain('ss'.repeat(35));
    expect(texts('Ustrd')[0]!.length).toBeLessThanOrEqual(140);
    expect(texts('Ustrd')[0]!.startsWith('Echeance Echeance')).toBe(true);
    expect(texts('TwnNm')).toEqual(['Paris', 'Saint-Remy-en-Bouzemont-Saint-Genes']);
    expect(validateAgainstXsd(long, 'pain.008.001.08').valid).toBe(true);
  });

  it('refuses identifiers over 35 characters or outside the set (never cut: the bank returns them)', () => {
    const id36 = 'X'.repeat(36);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1)], { messageId: id36 }))).fieldErrors?.messageId?.[0]).toMatch(/35 caractères au plus \(36\)/);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1, { endToEndId: id36 })]))).fieldErrors?.['debits.0.endToEndId']?.[0]).toMatch(/35 caractères/);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1, { mandateId: id36 })]))).fieldErrors?.['debits.0.mandateId']?.[0]).toMatch(/RUM/);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1, { mandateId: 'RUM é' })]))).fieldErrors?.['debits.0.mandateId']?.[0]).toMatch(/caractères autorisés/);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1, { endToEndId: '/E2E' })]))).fieldErrors?.['debits.0.endToEndId']?.[0]).toMatch(/« \/ »/);
    expect(refusal(() => buildSepaDirectDebitFile(input([debit(1, { endToEndId: 'A//B' })]))).fieldErrors?.['debits.0.endToEndId']).toBeDefined();
    const ok = buildSepaDirectDebitFile(input([debit(1, { endToEndId: 'X'.repeat(35), mandateId: "R+?:().,'-/1".padEnd(35, '9') })]));
    expect(validateAgainstXsd(ok.xml, 'pain.008.001.08').valid).toBe(true);
  });
});

describe('refusals with French field errors', () => {
  it('a duplicate EndToEndId is refused at the second debit', () => {
    const error = refusal(() => buildSepaDirectDebitFile(input([debit(1), debit(2), debit(3, { endToEndId: 'E2E-000001' })])));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual({ 'debits.2.endToEndId': ['Référence de bout en bout en double (déjà au prélèvement 1)'] });
  });

  it('invalid IBAN, BIC, ICS, dates; a non-EEA debtor without address; an empty file', () => {
    const error = refusal(() =>
      buildSepaDirectDebitFile(
        input(
          [
            debit(1, { debtor: { name: 'A', iban: 'FR7630006000011234567890188' } }),
            debit(2, { debtor: { name: 'B', iban: 'US64SVBKUS6S3300958879' } }),
            debit(3, { debtor: { name: 'C', iban: 'FR1420041010050500013M02606', bic: 'BNPAZZPP' } }),
            debit(4, { debtor: { name: 'D', iban: 'CH9300762011623852957' } }),
            debit(5, { collectionDate: '2026-13-01', mandateSignatureDate: '2026-12-08' }),
            debit(6, { mandateSignatureDate: '2026-12-08' }),
            debit(7, { debtor: { name: '   ', iban: 'FR1420041010050500013M02606' } }),
          ],
          { creditor: { name: 'X', iban: 'FR7630006000011234567890189', creditorId: 'FR73ZZZ123456' } },
        ),
      ),
    );
    expect(error.message).toMatch(/^Fichier de prélèvements SEPA invalide : Identifiant créancier SEPA \(ICS\) invalide \(et 7 autres erreurs\)$/);
    expect(error.fieldErrors).toEqual({
      'creditor.creditorId': ['Identifiant créancier SEPA (ICS) invalide'],
      'debits.0.debtor.iban': ['IBAN invalide'],
      'debits.1.debtor.iban': ['IBAN invalide'],
      'debits.2.debtor.bic': ['BIC invalide'],
      'debits.3.debtor.address': ["Adresse du débiteur requise (ville et pays au moins) : sa banque est hors de l'EEE (CH)"],
      'debits.4.collectionDate': ["Date d'échéance invalide (AAAA-MM-JJ)"],
      'debits.5.mandateSignatureDate': ["Mandat signé après la date d'échéance"],
      'debits.6.debtor.name': ['Nom du débiteur requis'],
    });
    expect(refusal(() => buildSepaDirectDebitFile(input([]))).fieldErrors?.debits).toEqual(['Aucun prélèvement à remettre']);
  });

  it('reports at most 100 problems however many debits are wrong', () => {
    const bad = Array.from({ length: 500 }, (_, i) => debit(i, { debtor: { name: 'X', iban: 'FR00' } }));
    const error = refusal(() => buildSepaDirectDebitFile(input(bad)));
    expect(Object.keys(error.fieldErrors ?? {})).toHaveLength(100);
    expect(error.message).toMatch(/\(et 499 autres erreurs\)/);
  });
});

describe('identifier validators and their zod schemas', () => {
  it('IBAN: SEPA countries, check digits, national format (ibantools)', () => {
    expect(isValidSepaIban('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(isValidSepaIban('fr1420041010050500013m02606')).toBe(true);
    expect(isValidSepaIban('GB29NWBK60161331926819')).toBe(true);
    expect(isValidSepaIban('FR7630006000011234567890188')).toBe(false);
    expect(isValidSepaIban('FR763000600001123456789018')).toBe(false);
    expect(isValidSepaIban('US64SVBKUS6S3300958879')).toBe(false);
    expect(isValidSepaIban('')).toBe(false);
  });

  it('BIC: 8 or 11, a real country, digits allowed in the party code', () => {
    expect(isValidSepaBic('BNPAFRPP')).toBe(true);
    expect(isValidSepaBic('bnpa fr pp xxx')).toBe(true);
    expect(isValidSepaBic('1234FRPP')).toBe(true);
    expect(isValidSepaBic('BNPAZZPP')).toBe(false);
    expect(isValidSepaBic('BNPAFRP')).toBe(false);
    expect(isValidSepaBic('BNPAFRPPXX')).toBe(false);
  });

  it('ICS: ISO 7064 mod 97-10 over national id + country + 00, business code ignored', () => {
    expect(isValidCreditorIdentifier('FR72ZZZ123456')).toBe(true);
    expect(isValidCreditorIdentifier('FR72AAA123456')).toBe(true);
    expect(isValidCreditorIdentifier('fr 72 zzz 123456')).toBe(true);
    expect(isValidCreditorIdentifier('DE98ZZZ09999999999')).toBe(true);
    expect(isValidCreditorIdentifier('FR73ZZZ123456')).toBe(false);
    expect(isValidCreditorIdentifier('FR72ZZZ123457')).toBe(false);
    expect(isValidCreditorIdentifier('FR72ZZZ1234567')).toBe(false);
    expect(isValidCreditorIdentifier('US72ZZZ123456')).toBe(false);
  });

  it('RUM: 35 characters of the set at most, no space', () => {
    expect(isValidMandateReference('RUM-2026/000123')).toBe(true);
    expect(isValidMandateReference('R'.repeat(35))).toBe(true);
    expect(isValidMandateReference('R'.repeat(36))).toBe(false);
    expect(isValidMandateReference('RUM 1')).toBe(false);
    expect(isValidMandateReference('RUMé1')).toBe(false);
    expect(isValidMandateReference('')).toBe(false);
  });

  it('zod schemas normalise and answer in French', () => {
    expect(ZSepaIban.parse(' fr76 3000 6000 0112 3456 7890 189 ')).toBe('FR7630006000011234567890189');
    expect(ZSepaIban.safeParse('FR7630006000011234567890188').error?.issues[0]?.message).toBe('IBAN invalide');
    expect(ZSepaBic.parse('agri fr pp')).toBe('AGRIFRPP');
    expect(ZSepaBic.safeParse('AGRI').error?.issues[0]?.message).toBe('BIC invalide');
    expect(ZCreditorIdentifier.parse('fr72 zzz 123456')).toBe('FR72ZZZ123456');
    expect(ZCreditorIdentifier.safeParse('FR73ZZZ123456').error?.issues[0]?.message).toBe('Identifiant créancier SEPA (ICS) invalide');
    expect(ZMandateReference.parse(' RUM-1 ')).toBe('RUM-1');
    expect(ZMandateReference.safeParse('RUM 1').error?.issues[0]?.message).toMatch(/^Référence unique de mandat \(RUM\) invalide/);
  });
});

describe('the ISO 20022 schemas the tests validate against', () => {
  it('are, in the repository, the same files as the shared official copy', () => {
    for (const name of ['pain.008.001.08.xsd', 'pain.008.001.02.xsd']) {
      const vendored = readFileSync(path.join(VENDORED_XSD_DIR, name));
      expect(vendored.length, name).toBeGreaterThan(10_000);
      if (existsSync(SHARED_XSD_DIR)) expect(vendored.equals(readFileSync(path.join(SHARED_XSD_DIR, name))), name).toBe(true);
    }
  });
});

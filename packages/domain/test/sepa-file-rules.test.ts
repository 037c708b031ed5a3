import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/shared/errors.ts';
import { isEeaCountry, sepaAddressRequired, splitStreetLine } from '../src/sepa/sepa-address.ts';
import { isIsoDate, sepaDebitProblems } from '../src/sepa/sepa-debit-checks.ts';
import { buildSepaDirectDebitFile } from '../src/sepa/sepa-direct-debit-file.ts';
import { paymentInfoKey, type SepaDirectDebit, type SepaDirectDebitFileInput } from '../src/sepa/sepa-direct-debit-types.ts';
import { formatCents } from '../src/sepa/sepa-xml-writer.ts';

// The pain.008 builder's checks one by one, with the exact French message of each (the batch
// shows them to the user when it leaves a debit out), and the postal-address rule country by
// country. sepa-file.test.ts validates whole files against the XSDs.

const FR_IBAN = 'FR1420041010050500013M02606';
const CREDITOR = { name: 'Énergies Douces SAS', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', creditorId: 'FR72ZZZ123456' };

const debit = (over: Partial<SepaDirectDebit> = {}): SepaDirectDebit => ({
  endToEndId: 'E2E-1',
  amountCents: 4_990,
  sequenceType: 'RCUR',
  collectionDate: '2026-12-07',
  mandateId: 'RUM-1',
  mandateSignatureDate: '2026-10-15',
  debtor: { name: 'Client', iban: FR_IBAN },
  ...over,
});

const file = (debits: SepaDirectDebit[], over: Partial<SepaDirectDebitFileInput> = {}): SepaDirectDebitFileInput => ({
  messageId: 'MSG-1',
  createdAt: '2026-12-01T09:30:00',
  creditor: CREDITOR,
  debits,
  ...over,
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('dates', () => {
  it('are real calendar days written YYYY-MM-DD', () => {
    for (const ok of ['2026-12-07', '2028-02-29', '2000-02-29', '2026-01-31', '2026-04-30', '2026-12-31', '2026-01-01']) expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of ['2027-02-29', '1900-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-12-00', '2026-12-7', 'x2026-12-07', '2026-12-07x', '2026/12/07', '']) {
      expect(isIsoDate(bad), bad).toBe(false);
    }
  });

  it('refuse a mandate signed after its collection, and a creation time that is not ISO', () => {
    expect(sepaDebitProblems(debit({ mandateSignatureDate: '2026-12-08' }))).toEqual({ mandateSignatureDate: ["Mandat signé après la date d'échéance"] });
    expect(sepaDebitProblems(debit({ mandateSignatureDate: '2026-12-07' }))).toEqual({});
    expect(sepaDebitProblems(debit({ mandateSignatureDate: '2026-02-30' }))).toEqual({ mandateSignatureDate: ['Date de signature du mandat invalide (AAAA-MM-JJ)'] });
    for (const createdAt of ['2026-12-01T24:00:00', '2026-12-01T09:60:00', '2026-12-01T09:30:00+15:00', '2026-12-01T09:30:00.1234567', '2026-12-01 09:30:00', '2026-12-01T09:30:00Zx', 'x2026-12-01T09:30:00', new Date(Number.NaN)]) {
      expect(refusal(() => buildSepaDirectDebitFile(file([debit()], { createdAt }))).fieldErrors, String(createdAt)).toEqual({ createdAt: ['Date de création invalide (AAAA-MM-JJTHH:MM:SS)'] });
    }
    for (const createdAt of ['2026-12-01T23:59:59', '2026-12-01T09:30:00.123456', '2026-12-01T09:30:00Z', '2026-12-01T09:30:00+14:00', '2026-12-01T09:30:00-09:30']) {
      expect(buildSepaDirectDebitFile(file([debit()], { createdAt })).xml, createdAt).toContain(`<CreDtTm>${createdAt}</CreDtTm>`);
    }
    expect(buildSepaDirectDebitFile(file([debit()], { createdAt: new Date('2026-12-01T09:30:00.250Z') })).xml).toContain('<CreDtTm>2026-12-01T09:30:00Z</CreDtTm>');
  });
});

describe('one debit', () => {
  it('says what the bank would refuse, field by field, in French', () => {
    expect(sepaDebitProblems(debit({ endToEndId: '' }))).toEqual({ endToEndId: ['Référence de bout en bout (EndToEndId) invalide : obligatoire'] });
    expect(sepaDebitProblems(debit({ mandateId: 'RUM 1' }))).toEqual({ mandateId: ["Référence unique de mandat (RUM) invalide : caractères autorisés : lettres sans accent, chiffres et / - ? : ( ) . , ' + (sans espace)"] });
    expect(sepaDebitProblems(debit({ sequenceType: 'NEXT' as never }))).toEqual({ sequenceType: ['Type de séquence invalide (FRST, RCUR, OOFF ou FNAL)'] });
    expect(sepaDebitProblems(debit({ localInstrument: 'COR1' as never }))).toEqual({ localInstrument: ['Instrument invalide (CORE ou B2B)'] });
    expect(sepaDebitProblems(debit({ debtor: { name: 'Client', iban: FR_IBAN, bic: 'PSST' } }))).toEqual({ 'debtor.bic': ['BIC invalide'] });
    expect(sepaDebitProblems(debit({ debtor: { name: 'Client', iban: FR_IBAN, address: { townName: 'Lyon', country: 'FRA' } } }))).toEqual({ 'debtor.address.country': ['Code pays invalide (ISO 3166, 2 lettres)'] });
    expect(sepaDebitProblems(debit({ debtor: { name: 'Client', iban: FR_IBAN, address: { townName: 'Lyon', country: 'F' } } }))).toEqual({ 'debtor.address.country': ['Code pays invalide (ISO 3166, 2 lettres)'] });
    expect(sepaDebitProblems(debit({ debtor: { name: 'Client', iban: FR_IBAN, address: { townName: ' 日 ', country: 'fr' } } }))).toEqual({});
    expect(sepaDebitProblems(debit({ debtor: { name: 'Client', iban: FR_IBAN, address: { townName: '  ', country: 'FR' } } }))).toEqual({ 'debtor.address.townName': ['Ville requise'] });
    for (const amountCents of [0, -1, 1.5, 100_000_000_000, Number.NaN]) {
      expect(sepaDebitProblems(debit({ amountCents })), String(amountCents)).toEqual({ amountCents: ['Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR'] });
    }
    expect(sepaDebitProblems(debit({ amountCents: 1 }))).toEqual({});
    expect(sepaDebitProblems(debit({ amountCents: 99_999_999_999 }))).toEqual({});
  });

  it('checks amendments: old RUM, old creditor identifier, old account, new bank', () => {
    expect(sepaDebitProblems(debit({ amendment: { originalMandateId: 'RUM/' } }))).toEqual({ 'amendment.originalMandateId': ['Ancienne RUM invalide : ne doit ni commencer ni finir par « / », ni contenir « // »'] });
    expect(sepaDebitProblems(debit({ amendment: { originalMandateId: 'RUM-1' } }))).toEqual({ 'amendment.originalMandateId': ["L'ancienne RUM est identique à la nouvelle"] });
    expect(sepaDebitProblems(debit({ amendment: { originalCreditorId: 'FR73ZZZ123456' } }))).toEqual({ 'amendment.originalCreditorId': ['Ancien identifiant créancier SEPA (ICS) invalide'] });
    expect(sepaDebitProblems(debit({ amendment: { originalCreditorName: 'Ancien Nom' } }))).toEqual({});
    expect(sepaDebitProblems(debit({ amendment: { originalDebtorIban: 'FR7630006000011234567890188' } }))).toEqual({ 'amendment.originalDebtorIban': ['Ancien IBAN invalide'] });
    expect(sepaDebitProblems(debit({ amendment: { originalDebtorIban: 'fr14 2004 1010 0505 0001 3m02 606' } }))).toEqual({ 'amendment.originalDebtorIban': ["L'ancien IBAN est identique au nouveau"] });
    expect(sepaDebitProblems(debit({ amendment: { originalDebtorIban: 'FR7630006000011234567890189', debtorBankChanged: true } }))).toEqual({
      'amendment.originalDebtorIban': ["Changement de banque (SMNDA) : l'ancien IBAN ne se transmet pas"],
    });
    expect(sepaDebitProblems(debit({ amendment: {} }))).toEqual({ amendment: ['Modification du mandat sans aucun changement indiqué'] });
    expect(sepaDebitProblems(debit({ amendment: null }))).toEqual({});
  });

  it('writes the amendment details the EPC asks for, only those given', () => {
    const xml = (amendment: SepaDirectDebit['amendment']) => buildSepaDirectDebitFile(file([debit({ amendment })])).xml;
    expect(xml({ originalCreditorName: 'Ancien Créancier' })).toContain('<AmdmntInd>true</AmdmntInd><AmdmntInfDtls><OrgnlCdtrSchmeId><Nm>Ancien Creancier</Nm></OrgnlCdtrSchmeId></AmdmntInfDtls>');
    expect(xml({ originalCreditorId: 'fr72 zzz 123456' })).toContain(
      '<AmdmntInfDtls><OrgnlCdtrSchmeId><Id><PrvtId><Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></OrgnlCdtrSchmeId></AmdmntInfDtls>',
    );
    expect(xml({ debtorBankChanged: true })).toContain('<AmdmntInfDtls><OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt></AmdmntInfDtls>');
    expect(xml(null)).toContain('<AmdmntInd>false</AmdmntInd></MndtRltdInf>');
  });
});

describe('the file', () => {
  it('checks the creditor, the version and the message id, in French', () => {
    const errors = (over: Partial<SepaDirectDebitFileInput>) => refusal(() => buildSepaDirectDebitFile(file([debit()], over))).fieldErrors;
    expect(errors({ creditor: { ...CREDITOR, name: ' ' } })).toEqual({ 'creditor.name': ['Nom du créancier requis'] });
    expect(errors({ creditor: { ...CREDITOR, iban: 'FR7630006000011234567890188' } })).toEqual({ 'creditor.iban': ['IBAN invalide'] });
    expect(errors({ creditor: { ...CREDITOR, bic: 'AGRI' } })).toEqual({ 'creditor.bic': ['BIC invalide'] });
    expect(errors({ creditor: { ...CREDITOR, address: { townName: 'Paris', country: 'FRA' } } })).toEqual({ 'creditor.address.country': ['Code pays invalide (ISO 3166, 2 lettres)'] });
    expect(errors({ version: 'pain.008.001.99' as never })).toEqual({ version: ['Version inconnue : pain.008.001.08 ou pain.008.001.02'] });
    expect(errors({ messageId: 'MSG 1', paymentInfoIds: { 'CORE/RCUR/2026-12-07': 'LOT-1' } })).toEqual({ messageId: ["Identifiant du message (MsgId) invalide : caractères autorisés : lettres sans accent, chiffres et / - ? : ( ) . , ' + (sans espace)"] });
    expect(errors({ debits: [debit(), debit({ endToEndId: 'E2E-2', localInstrument: 'B2B' })] })).toEqual({
      debits: ['Un fichier ne peut mélanger prélèvements CORE et B2B (règle EPC) : faites un fichier par type'],
    });
  });

  it('sums up its refusal: the first problem, and how many more', () => {
    const message = (debits: SepaDirectDebit[]) => refusal(() => buildSepaDirectDebitFile(file(debits))).message;
    const bad = (n: number) => debit({ endToEndId: `E2E-${n}`, amountCents: 0 });
    expect(message([bad(1)])).toBe('Fichier de prélèvements SEPA invalide : Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR');
    expect(message([bad(1), bad(2)])).toBe('Fichier de prélèvements SEPA invalide : Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR (et 1 autre erreur)');
    expect(message([bad(1), bad(2), bad(3)])).toBe('Fichier de prélèvements SEPA invalide : Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR (et 2 autres erreurs)');
  });

  it('leaves a debit out of the file when it repeats an EndToEndId, even if it is otherwise valid', () => {
    const error = refusal(() => buildSepaDirectDebitFile(file([debit(), debit({ amountCents: 0 })])));
    expect(error.fieldErrors).toEqual({
      'debits.1.endToEndId': ['Référence de bout en bout en double (déjà au prélèvement 1)'],
      'debits.1.amountCents': ['Montant invalide : centimes entiers, de 0,01 à 999 999 999,99 EUR'],
    });
  });

  it('orders blocks by date, then CORE before B2B, then sequence type', () => {
    const debits = [
      debit({ endToEndId: 'E-1', localInstrument: 'B2B', collectionDate: '2026-12-07' }),
      debit({ endToEndId: 'E-2', localInstrument: 'CORE', collectionDate: '2026-12-07', sequenceType: 'FNAL' }),
      debit({ endToEndId: 'E-3', localInstrument: 'CORE', collectionDate: '2026-12-07', sequenceType: 'FRST' }),
      debit({ endToEndId: 'E-4', localInstrument: 'B2B', collectionDate: '2026-12-04' }),
    ];
    const built = buildSepaDirectDebitFile(file(debits, { allowMixedLocalInstruments: true }));
    expect(built.paymentInfos.map((p) => paymentInfoKey(p.localInstrument, p.sequenceType, p.collectionDate))).toEqual([
      'B2B/RCUR/2026-12-04',
      'CORE/FRST/2026-12-07',
      'CORE/FNAL/2026-12-07',
      'B2B/RCUR/2026-12-07',
    ]);
    expect(built.paymentInfos.map((p) => p.paymentInfoId)).toEqual(['MSG-1-1', 'MSG-1-2', 'MSG-1-3', 'MSG-1-4']);
  });

  it('writes its header, batch booking when asked, and the creditor scheme in each block', () => {
    const plain = buildSepaDirectDebitFile(file([debit()])).xml;
    expect(plain.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">\n<CstmrDrctDbtInitn>\n<GrpHdr><MsgId>MSG-1</MsgId>')).toBe(true);
    expect(plain).not.toContain('BtchBookg');
    expect(plain).toContain('<CdtrSchmeId><Id><PrvtId><Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>');
    expect(plain).toContain('<InitgPty><Nm>Energies Douces SAS</Nm></InitgPty>');
    expect(plain.endsWith('</PmtInf>\n</CstmrDrctDbtInitn>\n</Document>\n')).toBe(true);
    expect(buildSepaDirectDebitFile(file([debit()], { batchBooking: false })).xml).toContain('<PmtMtd>DD</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>');
    expect(buildSepaDirectDebitFile(file([debit()], { initiatingPartyName: 'Mandataire' })).xml).toContain('<InitgPty><Nm>Mandataire</Nm></InitgPty>');
  });

  it('writes a .02 address as lines: number and street, extra line, then postcode and town', () => {
    const address = { streetName: 'Rue de la Paix', buildingNumber: '12', postalCode: '75002', townName: 'Paris', country: 'fr', addressLine: 'Bâtiment B' };
    const xml = buildSepaDirectDebitFile(file([debit()], { version: 'pain.008.001.02', creditor: { ...CREDITOR, address } })).xml;
    expect(xml).toContain('<PstlAdr><Ctry>FR</Ctry><AdrLine>12 Rue de la Paix, Batiment B</AdrLine><AdrLine>75002 Paris</AdrLine></PstlAdr>');
    const bare = buildSepaDirectDebitFile(file([debit()], { version: 'pain.008.001.02', creditor: { ...CREDITOR, address: { townName: 'Paris', country: 'FR' } } })).xml;
    expect(bare).toContain('<PstlAdr><Ctry>FR</Ctry><AdrLine>Paris</AdrLine></PstlAdr>');
    const v8 = buildSepaDirectDebitFile(file([debit()], { creditor: { ...CREDITOR, address: { townName: 'Paris', country: 'fr', streetName: null } } })).xml;
    expect(v8).toContain('<Cdtr><Nm>Energies Douces SAS</Nm><PstlAdr><TwnNm>Paris</TwnNm><Ctry>FR</Ctry></PstlAdr></Cdtr>');
  });

  it('writes amounts with two decimals from integer cents', () => {
    expect([1, 10, 99, 100, 101, 4_990, 99_999_999_999].map(formatCents)).toEqual(['0.01', '0.10', '0.99', '1.00', '1.01', '49.90', '999999999.99']);
  });
});

describe('the postal address rule', () => {
  it('knows the EEA: the 27, their outermost regions with codes of their own, Iceland, Liechtenstein and Norway', () => {
    const EEA = [
      'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
      'GP', 'GF', 'MQ', 'RE', 'YT', 'MF', 'AX', 'IS', 'LI', 'NO',
    ];
    for (const country of EEA) {
      expect(isEeaCountry(country), country).toBe(true);
      expect(isEeaCountry(country.toLowerCase()), country).toBe(true);
      expect(sepaAddressRequired({ iban: `${country}00` }), country).toBe(false);
      expect(sepaAddressRequired({ iban: FR_IBAN, bic: `BANK${country}PP` }), country).toBe(false);
    }
    for (const country of ['CH', 'MC', 'SM', 'VA', 'AD', 'GB', 'GI', 'AL', 'MD', 'ME', 'MK', 'PM', 'BL', 'US', '']) {
      expect(isEeaCountry(country), country).toBe(false);
      expect(sepaAddressRequired({ iban: `${country}00` }), country).toBe(true);
      if (country.length === 2) expect(sepaAddressRequired({ iban: FR_IBAN, bic: `BANK${country}PP` }), country).toBe(true);
    }
  });

  it('reads the IBAN as typed (spaces before it, lower case) and a BIC with spaces; a BIC too short to name a country is no reason', () => {
    expect(sepaAddressRequired({ iban: '  ch93 0076 2011 6238 5295 7' })).toBe(true);
    expect(sepaAddressRequired({ iban: '  fr14 2004 1010 0505 0001 3m02 606' })).toBe(false);
    expect(sepaAddressRequired({ iban: FR_IBAN, bic: 'BDSP PMPM' })).toBe(true);
    expect(sepaAddressRequired({ iban: FR_IBAN, bic: 'BDSP  FR PP' })).toBe(false);
    expect(sepaAddressRequired({ iban: FR_IBAN, bic: 'BDSPP' })).toBe(false);
    expect(sepaAddressRequired({ iban: FR_IBAN, bic: '' })).toBe(false);
    expect(sepaAddressRequired({ iban: FR_IBAN, bic: null })).toBe(false);
  });

  it('splits street lines with ranges, suffixes, commas and extra spaces', () => {
    expect(splitStreetLine('  12   bis   rue des Lilas ')).toEqual({ streetName: 'rue des Lilas', buildingNumber: '12 bis' });
    expect(splitStreetLine('3 - 5 place Bellecour')).toEqual({ streetName: 'place Bellecour', buildingNumber: '3 - 5' });
    expect(splitStreetLine('12ter, quai Saint-Vincent')).toEqual({ streetName: 'quai Saint-Vincent', buildingNumber: '12ter' });
    expect(splitStreetLine('10 quater impasse des Roses')).toEqual({ streetName: 'impasse des Roses', buildingNumber: '10 quater' });
    expect(splitStreetLine('Hauptstrasse 10-12')).toEqual({ streetName: 'Hauptstrasse', buildingNumber: '10-12' });
    expect(splitStreetLine('Via Roma,  15b')).toEqual({ streetName: 'Via Roma', buildingNumber: '15b' });
    expect(splitStreetLine('Route 66')).toEqual({ streetName: 'Route', buildingNumber: '66' });
    expect(splitStreetLine('1939-1945 avenue')).toEqual({ streetName: 'avenue', buildingNumber: '1939-1945' });
    expect(splitStreetLine('BP 12')).toEqual({ streetName: 'BP', buildingNumber: '12' });
    expect(splitStreetLine('12')).toEqual({ streetName: '12', buildingNumber: null });
    expect(splitStreetLine('Lieu-dit 3 4')).toEqual({ streetName: 'Lieu-dit 3 4', buildingNumber: null });
  });
});

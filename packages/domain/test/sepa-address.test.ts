import { describe, expect, it } from 'vitest';
import type { DomainError } from '../src/shared/errors.ts';
import { isEeaCountry, sepaAddressRequired, splitStreetLine, toSepaPostalAddress } from '../src/sepa/sepa-address.ts';
import { sepaDebitProblems } from '../src/sepa/sepa-debit-checks.ts';
import { buildSepaDirectDebitFile } from '../src/sepa/sepa-direct-debit-file.ts';
import { type SepaDirectDebit, type SepaDirectDebitFileInput } from '../src/sepa/sepa-direct-debit-types.ts';
import { validateAgainstXsd } from './sepa-xsd.ts';

// The EPC rule on addresses (sepa-address.ts) and what the file writes for debtors outside the EEA.

const SWISS_IBAN = 'CH9300762011623852957';
const MONACO_IBAN = 'MC5811222000010123456789030';
const FRENCH_IBAN = 'FR1420041010050500013M02606';

const swiss = toSepaPostalAddress({ addressLine1: 'Bahnhofstrasse 12a', addressLine2: null, postalCode: '8001', city: 'Zürich', country: 'CH' })!;
const monaco = toSepaPostalAddress({ addressLine1: '7 bis boulevard des Moulins', addressLine2: 'Résidence Le Mirabeau, 3e étage', postalCode: '98000', city: 'Monaco', country: 'MC' })!;

function debit(n: number, over: Partial<SepaDirectDebit> = {}): SepaDirectDebit {
  return {
    endToEndId: `E2E-${n}`,
    amountCents: 4_990,
    sequenceType: 'RCUR',
    collectionDate: '2026-12-07',
    mandateId: `RUM-${n}`,
    mandateSignatureDate: '2026-10-15',
    debtor: { name: `Client ${n}`, iban: FRENCH_IBAN },
    ...over,
  };
}

const file = (debits: SepaDirectDebit[], over: Partial<SepaDirectDebitFileInput> = {}): SepaDirectDebitFileInput => ({
  messageId: 'MSG-1',
  createdAt: '2026-12-01T09:30:00',
  creditor: { name: 'Énergies Douces SAS', iban: 'FR7630006000011234567890189', creditorId: 'FR72ZZZ123456' },
  debits,
  ...over,
});

describe('when a SEPA debit must carry an address', () => {
  it('for a bank in a SEPA country outside the EEA, by its IBAN or its BIC', () => {
    for (const iban of [SWISS_IBAN, MONACO_IBAN, 'SM86U0322509800000000270100', 'AD1200012030200359100100', 'VA59001123000012345678', 'GB29NWBK60161331926819', 'GI75NWBK000000007099453']) {
      expect(sepaAddressRequired({ iban }), iban).toBe(true);
    }
    for (const iban of [FRENCH_IBAN, 'DE89370400440532013000', 'LI21088100002324013AA', 'NO9386011117947', 'IS140159260076545510730339']) {
      expect(sepaAddressRequired({ iban }), iban).toBe(false);
    }
    // A French IBAN at a bank of Saint-Pierre-et-Miquelon (not in the EEA); Guadeloupe is.
    expect(sepaAddressRequired({ iban: FRENCH_IBAN, bic: 'BDSPPMPM' })).toBe(true);
    expect(sepaAddressRequired({ iban: FRENCH_IBAN, bic: 'BNPAGPGP' })).toBe(false);
    expect(sepaAddressRequired({ iban: 'ch93 0076 2011 6238 5295 7' })).toBe(true);
    expect([isEeaCountry('fr'), isEeaCountry('CH'), isEeaCountry('MC'), isEeaCountry('NO')]).toEqual([true, false, false, true]);
  });
});

describe('a stored address as a structured SEPA address', () => {
  it('splits the building number off the street, first or last', () => {
    expect(splitStreetLine('12 bis rue des Lilas')).toEqual({ streetName: 'rue des Lilas', buildingNumber: '12 bis' });
    expect(splitStreetLine('12B, avenue Foch')).toEqual({ streetName: 'avenue Foch', buildingNumber: '12B' });
    expect(splitStreetLine('3-5  place Bellecour')).toEqual({ streetName: 'place Bellecour', buildingNumber: '3-5' });
    expect(splitStreetLine('Bahnhofstrasse 12a')).toEqual({ streetName: 'Bahnhofstrasse', buildingNumber: '12a' });
    expect(splitStreetLine('Via del Corso, 7')).toEqual({ streetName: 'Via del Corso', buildingNumber: '7' });
    expect(splitStreetLine('Résidence Les Pins')).toEqual({ streetName: 'Résidence Les Pins', buildingNumber: null });
  });

  it('keeps town and country always, the second line as an address line, nothing without a town', () => {
    expect(monaco).toEqual({
      streetName: 'boulevard des Moulins',
      buildingNumber: '7 bis',
      postalCode: '98000',
      townName: 'Monaco',
      country: 'MC',
      addressLine: 'Résidence Le Mirabeau, 3e étage',
    });
    expect(toSepaPostalAddress({ addressLine1: null, addressLine2: null, postalCode: null, city: 'Genève', country: 'ch' })).toEqual({
      streetName: null, buildingNumber: null, postalCode: null, townName: 'Genève', country: 'CH', addressLine: null,
    });
    expect(toSepaPostalAddress({ addressLine1: '1 rue X', addressLine2: null, postalCode: '1200', city: '  ', country: 'CH' })).toBeNull();
  });
});

describe('debtors outside the EEA in pain.008 files', () => {
  const debits = [
    debit(1, { debtor: { name: 'Urs Müller', iban: SWISS_IBAN, bic: 'UBSWCHZH80A', address: swiss } }),
    debit(2, { debtor: { name: 'Grace Kelly-Rainier', iban: MONACO_IBAN, address: monaco } }),
    debit(3),
  ];

  it('pain.008.001.08: the structured address, the hybrid line after it; valid against the XSD', () => {
    const xml = buildSepaDirectDebitFile(file(debits)).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.08')).toMatchObject({ valid: true });
    expect(xml).toContain('<Dbtr><Nm>Urs Muller</Nm><PstlAdr><StrtNm>Bahnhofstrasse</StrtNm><BldgNb>12a</BldgNb><PstCd>8001</PstCd><TwnNm>Zurich</TwnNm><Ctry>CH</Ctry></PstlAdr></Dbtr>');
    expect(xml).toContain(
      '<Dbtr><Nm>Grace Kelly-Rainier</Nm><PstlAdr><StrtNm>boulevard des Moulins</StrtNm><BldgNb>7 bis</BldgNb><PstCd>98000</PstCd><TwnNm>Monaco</TwnNm><Ctry>MC</Ctry>' +
        '<AdrLine>Residence Le Mirabeau, 3e etage</AdrLine></PstlAdr></Dbtr>',
    );
    // A French debtor's address is not asked for, and not written.
    expect(xml).toContain('<Dbtr><Nm>Client 3</Nm></Dbtr>');
  });

  it('pain.008.001.02: country and two address lines; valid against the XSD', () => {
    const xml = buildSepaDirectDebitFile(file(debits, { version: 'pain.008.001.02' })).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.02')).toMatchObject({ valid: true });
    expect(xml).toContain('<PstlAdr><Ctry>CH</Ctry><AdrLine>12a Bahnhofstrasse</AdrLine><AdrLine>8001 Zurich</AdrLine></PstlAdr>');
    expect(xml).toContain('<PstlAdr><Ctry>MC</Ctry><AdrLine>7 bis boulevard des Moulins, Residence Le Mirabeau, 3e etage</AdrLine><AdrLine>98000 Monaco</AdrLine></PstlAdr>');
  });

  it('one debit at a time: what a debtor lacks, before any file is made', () => {
    expect(sepaDebitProblems(debit(1, { debtor: { name: 'Urs Müller', iban: SWISS_IBAN } }))).toEqual({
      'debtor.address': ["Adresse du débiteur requise (ville et pays au moins) : sa banque est hors de l'EEE (CH)"],
    });
    expect(sepaDebitProblems(debit(2, { debtor: { name: 'Jean Roy', iban: FRENCH_IBAN, bic: 'BDSPPMPM' } }))).toHaveProperty(['debtor.address']);
    expect(sepaDebitProblems(debits[0]!)).toEqual({});
    expect(sepaDebitProblems(debit(3))).toEqual({});
    expect(sepaDebitProblems(debit(4, { amountCents: 0, debtor: { name: ' ', iban: 'FR7630006000011234567890188' } }))).toEqual({
      amountCents: [expect.stringMatching(/^Montant invalide/)],
      'debtor.name': ['Nom du débiteur requis'],
      'debtor.iban': ['IBAN invalide'],
    });
  });

  it('a creditor whose bank is outside the EEA gives its address too', () => {
    const refused = (() => {
      try {
        buildSepaDirectDebitFile(file([debit(1)], { creditor: { name: 'Société Monégasque', iban: MONACO_IBAN, creditorId: 'FR72ZZZ123456' } }));
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refused.fieldErrors).toEqual({ 'creditor.address': ["Adresse du créancier requise (ville et pays au moins) : sa banque est hors de l'EEE (MC)"] });
    const xml = buildSepaDirectDebitFile(file([debit(1)], { creditor: { name: 'Société Monégasque', iban: MONACO_IBAN, creditorId: 'FR72ZZZ123456', address: monaco } })).xml;
    expect(validateAgainstXsd(xml, 'pain.008.001.08').valid).toBe(true);
    expect(xml).toContain('<Cdtr><Nm>Societe Monegasque</Nm><PstlAdr><StrtNm>boulevard des Moulins</StrtNm>');
  });
});

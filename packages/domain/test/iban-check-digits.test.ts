import { composeIBAN, isValidBBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { ibanFeedback } from '../src/sepa/iban-feedback.ts';
import { sepaDebitProblems } from '../src/sepa/sepa-debit-checks.ts';
import { type SepaDirectDebit } from '../src/sepa/sepa-direct-debit-types.ts';
import { isValidNormalizedSepaIban, isValidSepaIban } from '../src/sepa/sepa-identifiers.ts';
import { ZSepaIban } from '../src/sepa/sepa.schema.ts';

// The IBAN's own check digits (ISO 7064 mod 97-10) are a check of their own, not something the
// national key (the French RIB key, the Spanish, Belgian, Portuguese... ones) makes redundant: a
// typo in the check digits leaves the national key right, and some typos in the BBAN do too.
// Every IBAN below keeps a valid national key (asserted), so only the mod-97 check can refuse it.

/** Registry examples of SEPA countries, most with a national key ibantools checks. */
const VALID = {
  FR: 'FR1420041010050500013M02606',
  MC: 'MC5811222000010123456789030',
  ES: 'ES9121000418450200051332',
  BE: 'BE68539007547034',
  PT: 'PT50000201231234567890154',
  NO: 'NO9386011117947',
  PL: 'PL61109010140000071219812874',
  SI: 'SI56263300012039086',
  SK: 'SK3112000000198742637541',
  CZ: 'CZ6508000000192000145399',
  EE: 'EE382200221020145685',
  HR: 'HR1210010051863000160',
  HU: 'HU42117730161111101800000000',
  DE: 'DE89370400440532013000',
  NL: 'NL91ABNA0417164300',
  IT: 'IT60X0542811101000000123456',
  GB: 'GB29NWBK60161331926819',
  CH: 'CH9300762011623852957',
} as const;

const bbanOf = (iban: string) => iban.slice(4);

/** The same IBAN with every other pair of check digits (00-99): the BBAN, national key included, untouched. */
function wrongCheckDigits(iban: string): string[] {
  const right = iban.slice(2, 4);
  return Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))
    .filter((digits) => digits !== right)
    .map((digits) => `${iban.slice(0, 2)}${digits}${bbanOf(iban)}`);
}

/**
 * Typos in the BBAN that its national key does not see (two digits changed so that the key still
 * holds), kept with the original check digits, where those digits no longer fit the BBAN: only
 * mod 97 can tell. (A typo can also fool both: the French key is itself a mod 97 of the BBAN.)
 */
function typosTheNationalKeyMisses(iban: string, max = 3): string[] {
  const country = iban.slice(0, 2);
  const bban = bbanOf(iban);
  const found: string[] = [];
  const digits = [...bban.matchAll(/\d/g)].map((m) => m.index);
  for (let a = 0; a < digits.length && found.length < max; a++) {
    for (let b = a + 1; b < digits.length && found.length < max; b++) {
      for (let da = 1; da <= 9 && found.length < max; da++) {
        for (let db = 1; db <= 9 && found.length < max; db++) {
          const chars = [...bban];
          chars[digits[a]!] = String((Number(chars[digits[a]!]) + da) % 10);
          chars[digits[b]!] = String((Number(chars[digits[b]!]) + db) % 10);
          const typo = chars.join('');
          const fits = composeIBAN({ countryCode: country, bban: typo })?.slice(2, 4) === iban.slice(2, 4);
          if (isValidBBAN(typo, country) && !fits) found.push(`${iban.slice(0, 4)}${typo}`);
        }
      }
    }
  }
  return found;
}

const debit = (iban: string): SepaDirectDebit => ({
  endToEndId: 'E2E-1',
  amountCents: 1_000,
  sequenceType: 'RCUR',
  collectionDate: '2026-12-07',
  mandateId: 'RUM-1',
  mandateSignatureDate: '2026-10-15',
  debtor: { name: 'Client', iban, address: { townName: 'Genève', country: 'CH' } },
});

describe('IBAN check digits (mod 97-10), whatever the national key says', () => {
  it('the examples are valid IBANs whose BBAN passes its national check', () => {
    for (const [country, iban] of Object.entries(VALID)) {
      expect(isValidSepaIban(iban), iban).toBe(true);
      expect(isValidBBAN(bbanOf(iban), country), iban).toBe(true);
      // ibantools computes the same check digits from the BBAN: the examples are not hand-made.
      expect(composeIBAN({ countryCode: country, bban: bbanOf(iban) })).toBe(iban);
    }
  });

  it('refuses every other pair of check digits, in every country, everywhere an IBAN is checked', () => {
    let tried = 0;
    for (const iban of Object.values(VALID)) {
      for (const wrong of wrongCheckDigits(iban)) {
        tried++;
        expect(isValidSepaIban(wrong), wrong).toBe(false);
        expect(isValidNormalizedSepaIban(wrong), wrong).toBe(false);
        expect(ZSepaIban.safeParse(wrong).success, wrong).toBe(false);
        expect(ibanFeedback(wrong), wrong).toEqual({ status: 'invalid', message: 'IBAN invalide : clé de contrôle incorrecte, vérifiez la saisie' });
        expect(sepaDebitProblems(debit(wrong))['debtor.iban'], wrong).toEqual(['IBAN invalide']);
      }
    }
    expect(tried).toBe(Object.keys(VALID).length * 99);
  });

  it('refuses a BBAN typo that keeps the national key valid (Spanish, Norwegian, Polish... keys, the French one with a letter)', () => {
    const withKey = ['FR', 'MC', 'ES', 'BE', 'PT', 'NO', 'PL', 'SI', 'SK', 'CZ', 'EE', 'HR', 'HU'] as const;
    const caught: string[] = [];
    for (const country of withKey) {
      const typos = typosTheNationalKeyMisses(VALID[country]);
      if (typos.length > 0) caught.push(country);
      for (const typo of typos) {
        expect(isValidBBAN(bbanOf(typo), country), typo).toBe(true);
        expect(isValidSepaIban(typo), typo).toBe(false);
        expect(ZSepaIban.safeParse(typo).success, typo).toBe(false);
        expect(sepaDebitProblems(debit(typo))['debtor.iban'], typo).toEqual(['IBAN invalide']);
      }
    }
    // Monaco's, Portugal's and Slovenia's keys are a mod 97 of the whole BBAN: a typo they miss, the IBAN's check misses too.
    expect(caught).toEqual(['FR', 'ES', 'BE', 'NO', 'PL', 'SK', 'CZ', 'EE', 'HR', 'HU']);
  });

  it('a national key ibantools does not know leaves mod 97 the only check: one digit changed is refused', () => {
    for (const iban of [VALID.DE, VALID.NL, VALID.IT, VALID.GB, VALID.CH]) {
      const last = Number(iban.at(-1));
      const typo = `${iban.slice(0, -1)}${(last + 1) % 10}`;
      expect(isValidBBAN(bbanOf(typo), iban.slice(0, 2)), typo).toBe(true);
      expect(isValidSepaIban(typo), typo).toBe(false);
    }
  });
});

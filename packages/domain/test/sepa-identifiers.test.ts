import { composeIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { isSepaText, sepaIdentifierProblem, toSepaText } from '../src/sepa/sepa-charset.ts';
import {
  isValidCreditorIdentifier,
  isValidMandateReference,
  isValidNormalizedSepaIban,
  isValidSepaBic,
  isValidSepaIban,
  normalizeCreditorIdentifier,
  normalizeSepaBic,
  normalizeSepaIban,
} from '../src/sepa/sepa-identifiers.ts';
import { computeSepaCreditorIdCheckDigits, formatIban, isValidBic, mod97, normalizeIban } from '../src/shared/identifiers.ts';

// The edges of the SEPA identifiers (IBAN, BIC, creditor identifier, mandate reference) and of
// the SEPA character set: what sepa-file.test.ts and iban-check-digits.test.ts do not reach.

const FR_IBAN = 'FR1420041010050500013M02606';

/** ISO 7064 mod 97-10 of an IBAN, computed here independently (BigInt over the digit string). */
const ibanMod97 = (iban: string) => {
  const moved = `${iban.slice(4)}${iban.slice(0, 4)}`;
  const digits = [...moved].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return Number(BigInt(digits) % 97n);
};

describe('IBAN', () => {
  it('is normalised from what people type: spaces, tabs, line breaks, lower case', () => {
    expect(normalizeSepaIban(' \tfr14 2004 1010 0505 0001 3m02 606\n')).toBe(FR_IBAN);
    expect(isValidSepaIban('\tFR14 2004 1010 0505 0001 3M02 606\r\n')).toBe(true);
    expect(normalizeSepaIban('')).toBe('');
  });

  it('has two digits after the country, even when letters there would give the right mod 97', () => {
    const bban = FR_IBAN.slice(4);
    // Check "digits" that are letters, or a digit and a letter, whose mod 97 is right all the same.
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const impostors: string[] = [];
    for (const a of `${letters}0123456789`) {
      for (const b of letters) {
        const iban = `FR${a}${b}${bban}`;
        if (ibanMod97(iban) === 1) impostors.push(iban);
      }
    }
    expect(impostors.some((iban) => /^FR\d[A-Z]/.test(iban))).toBe(true);
    expect(impostors.some((iban) => /^FR[A-Z]{2}/.test(iban))).toBe(true);
    for (const iban of impostors) {
      expect(isValidNormalizedSepaIban(iban), iban).toBe(false);
      expect(isValidSepaIban(iban), iban).toBe(false);
    }
    // And something before the country is not an IBAN, even when what follows is one.
    expect(isValidNormalizedSepaIban(`1${FR_IBAN}`)).toBe(false);
  });

  it('is refused outside SEPA even with right check digits, and when it holds other characters', () => {
    const brazilian = composeIBAN({ countryCode: 'BR', bban: '00000000000010932840814P2' });
    expect(brazilian).toBe('BR1500000000000010932840814P2');
    expect(isValidSepaIban(brazilian!)).toBe(false);
    expect(isValidNormalizedSepaIban(`${FR_IBAN.slice(0, 10)}.${FR_IBAN.slice(11)}`)).toBe(false);
    expect(isValidNormalizedSepaIban(FR_IBAN.toLowerCase())).toBe(false);
  });

  it('formats and normalises for display (shared/identifiers.ts)', () => {
    expect(normalizeIban(' fr14 2004\t1010 ')).toBe('FR1420041010');
    expect(formatIban('fr1420041010050500013m02606')).toBe('FR14 2004 1010 0505 0001 3M02 606');
    expect(mod97('3214282912345698765432161182')).toBe(1); // the GB82 WEST example, moved round
    expect(mod97('AZ')).toBe(1035 % 97); // A = 10, Z = 35
  });
});

describe('BIC', () => {
  it('is normalised and checked on its structure and country', () => {
    expect(normalizeSepaBic(' sogefr pp\txxx ')).toBe('SOGEFRPPXXX');
    expect(isValidSepaBic('sogefrpp')).toBe(true);
    expect(isValidSepaBic('SOGE FRPP XXX')).toBe(true);
    expect(isValidSepaBic('1234FRPP')).toBe(true); // digits allowed in the party code since ISO 9362:2014
    for (const bad of ['SOGEFRP', 'SOGEFRPPXX', 'SOGEFRPPXXXX', 'SOGE1RPP', 'SOGEZZPP', 'XSOGEFRPP', 'SOGEFRPP-']) expect(isValidSepaBic(bad), bad).toBe(false);
  });

  it('the older check (shared/identifiers.ts) wants letters for the party and country, 8 or 11 characters', () => {
    expect(isValidBic('sogefrpp')).toBe(true);
    expect(isValidBic('SOGE FR PP XXX')).toBe(true);
    for (const bad of ['1234FRPP', 'SOGEFRP', 'SOGEFRPPXX', 'XSOGEFRPP', 'SOGEFRPP-', 'SOGEFRPPXXXY']) expect(isValidBic(bad), bad).toBe(false);
  });
});

describe('SEPA creditor identifier (ICS)', () => {
  const ics = (country: string, business: string, nationalId: string) => `${country}${computeSepaCreditorIdCheckDigits(country, nationalId)}${business}${nationalId}`;

  it('has check digits over the national identifier, the country and 00, whatever the business code', () => {
    expect(computeSepaCreditorIdCheckDigits('FR', '123456')).toBe('72');
    expect(computeSepaCreditorIdCheckDigits('DE', '09999999999')).toBe('98');
    expect(computeSepaCreditorIdCheckDigits('fr', '123456')).toBe('72');
    expect(computeSepaCreditorIdCheckDigits('NL', 'ZZZ')).toBe(String(98 - mod97('ZZZNL00')).padStart(2, '0'));
    // Check digits under 10 keep their leading zero.
    const small = Array.from({ length: 200 }, (_, n) => String(n)).find((id) => Number(computeSepaCreditorIdCheckDigits('FR', id)) < 10)!;
    expect(computeSepaCreditorIdCheckDigits('FR', small)).toMatch(/^0\d$/);
    expect(ics('FR', 'ZZZ', '123456')).toBe('FR72ZZZ123456');
    expect(isValidCreditorIdentifier('FR72ZZZ123456')).toBe(true);
    expect(isValidCreditorIdentifier('FR72ABC123456')).toBe(true);
    expect(isValidCreditorIdentifier('DE98ZZZ09999999999')).toBe(true);
    expect(isValidCreditorIdentifier(' fr72 zzz 123456 ')).toBe(true);
    expect(normalizeCreditorIdentifier(' fr72\tzzz 123456 ')).toBe('FR72ZZZ123456');
  });

  it('is refused with anything before or after it, or when it is not one at all', () => {
    for (const bad of ['1DE98ZZZ09999999999', 'DE98ZZZ09999999999-', 'DE98ZZZ09999999999 /', 'pas un ICS', '', 'DE98', 'DE9XZZZ09999999999']) {
      expect(isValidCreditorIdentifier(bad), bad).toBe(false);
    }
  });

  it('holds up to 35 characters, a national identifier of 28 at most', () => {
    const longest = ics('DE', 'ZZZ', '1'.repeat(28));
    expect(longest).toHaveLength(35);
    expect(isValidCreditorIdentifier(longest)).toBe(true);
    expect(isValidCreditorIdentifier(ics('DE', 'ZZZ', '1'.repeat(29)))).toBe(false);
  });

  it('is refused outside SEPA, and in France at any length but 13, even with right check digits', () => {
    expect(isValidCreditorIdentifier(ics('US', 'ZZZ', '123456'))).toBe(false);
    expect(isValidCreditorIdentifier(ics('FR', 'ZZZ', '1234567'))).toBe(false);
    expect(isValidCreditorIdentifier(ics('FR', 'ZZZ', '12345'))).toBe(false);
    expect(isValidCreditorIdentifier(ics('BE', 'ZZZ', '1234567'))).toBe(true);
  });
});

describe('mandate reference (RUM) and other SEPA identifiers', () => {
  it('says what is wrong, in French', () => {
    expect(sepaIdentifierProblem('')).toBe('obligatoire');
    expect(sepaIdentifierProblem('A'.repeat(36))).toBe('35 caractères au plus (36)');
    expect(sepaIdentifierProblem('A'.repeat(11), 10)).toBe('10 caractères au plus (11)');
    expect(sepaIdentifierProblem('RUM 1')).toBe("caractères autorisés : lettres sans accent, chiffres et / - ? : ( ) . , ' + (sans espace)");
    expect(sepaIdentifierProblem('RUM-é')).toBe("caractères autorisés : lettres sans accent, chiffres et / - ? : ( ) . , ' + (sans espace)");
    for (const slashes of ['/RUM', 'RUM/', 'R//M']) expect(sepaIdentifierProblem(slashes), slashes).toBe('ne doit ni commencer ni finir par « / », ni contenir « // »');
    expect(sepaIdentifierProblem('R/U-M?:().,\'+9')).toBeNull();
    expect(isValidMandateReference('RUM-2026-000001')).toBe(true);
    expect(isValidMandateReference('RUM/')).toBe(false);
  });
});

describe('the SEPA Latin character set', () => {
  it('spells out what has no accent to drop, letter by letter', () => {
    const SPELLED: Record<string, string> = {
      œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L',
      þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ŀ: 'l', Ŀ: 'L', ĸ: 'k', ŉ: "'n",
    };
    for (const [char, spelled] of Object.entries(SPELLED)) expect(toSepaText(`a${char}b`), char).toBe(`a${spelled}b`);
  });

  it('turns typographic quotes, dashes, signs and brackets into their plain forms', () => {
    const PLAIN: Record<string, string> = {
      '’': "'", '‘': "'", '‚': "'", '′': "'", '`': "'", '´': "'", '"': "'", '“': "'", '”': "'", '„': "'", '‹': "'", '›': "'",
      '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-', _: '-', '…': '...', '&': '+', '€': 'EUR',
      '°': 'o', '№': 'No', '½': '1/2', '¼': '1/4', '¾': '3/4', '²': '2', '³': '3',
      '[': '(', ']': ')', '{': '(', '}': ')', ';': ',', '!': '.', '\\': '/', '|': '/',
    };
    for (const [char, plain] of Object.entries(PLAIN)) expect(toSepaText(`a${char}b`), char).toBe(`a${plain}b`);
    // French guillemets lose the spaces inside them.
    expect(toSepaText('« Le Bœuf »')).toBe("'Le Boeuf'");
    expect(toSepaText('x «  y  » z')).toBe("x 'y' z");
  });

  it('keeps every character of the set, drops combining accents, one dot for anything else', () => {
    const set = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+";
    expect(toSepaText(set)).toBe(set);
    expect(isSepaText(set)).toBe(true);
    expect(toSepaText('a b')).toBe('a b');
    expect(toSepaText('e\u0301 e\u036f e\u0300')).toBe('e e e'); // U+0300 to U+036F: combining marks
    expect(toSepaText('e\u0370')).toBe('e.');
    expect(toSepaText('Ω ∑ 中 #')).toBe('. . . .');
    expect(toSepaText('😀')).toBe('.'); // one dot for both halves of a surrogate pair
    expect(toSepaText('a\udc00b')).toBe('ab'); // a lone low surrogate
    expect(toSepaText('a\ud800b')).toBe('a.b'); // a lone high surrogate
    expect(toSepaText('a\udfffb')).toBe('ab');
    expect(toSepaText('a\u0250b\u024fc')).toBe('a.b.c'); // both sides of the precomputed table's end
    expect(toSepaText('ｱ！')).toBe('..'); // past the surrogates: still one dot each
    expect(toSepaText('ȁ Ǎ Ǆ')).toBe('a A .'); // Latin Extended-B: what NFD decomposes loses its accent, the rest is a dot
  });

  it('turns white space and controls into single spaces, trims, and cuts after transliterating', () => {
    expect(toSepaText(' \u00a0a\u2003\u3000b\t\u0085c\u2028 ')).toBe('a b c');
    expect(toSepaText('a  b')).toBe('a b');
    expect(toSepaText(' a')).toBe('a');
    expect(toSepaText('a ')).toBe('a');
    expect(toSepaText('plain', 5)).toBe('plain');
    expect(toSepaText('plain text', 6)).toBe('plain');
    expect(toSepaText('  padded', 3)).toBe('pad');
    expect(toSepaText('œœœ', 3)).toBe('oeo');
    expect(toSepaText('abc', 0)).toBe('');
    expect(toSepaText('unchanged')).toBe('unchanged');
    expect(toSepaText('x é')).toBe('x e');
    expect(toSepaText('é x ü')).toBe('e x u');
  });
});

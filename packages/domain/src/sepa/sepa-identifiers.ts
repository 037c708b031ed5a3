import { electronicFormatIBAN, getCountrySpecifications, isSEPACountry, isValidBBAN } from 'ibantools';
import { computeSepaCreditorIdCheckDigits } from '../shared/identifiers.ts';
import { sepaIdentifierProblem } from './sepa-charset.ts';

// The identifiers a SEPA direct debit carries. IBAN and BIC structure come from ibantools (the
// ISO 13616 registry per country: length, BBAN pattern, national check digits where it knows
// them); SEPA membership, the creditor identifier and the mandate reference are ours.

/** "fr76 3000 6000 0112 3456 7890 189" -> "FR7630006000011234567890189". */
// Stryker disable next-line StringLiteral: electronicFormatIBAN returns null only for a value that is not a string.
export const normalizeSepaIban = (value: string): string => electronicFormatIBAN(value.trim()) ?? '';

/** An IBAN of a SEPA country (Monaco and the non-EEA members included), check digits right. */
export function isValidSepaIban(value: string): boolean {
  return isValidNormalizedSepaIban(normalizeSepaIban(value));
}

/**
 * ISO 7064 mod 97-10 of the IBAN moved round (BBAN + country + check digits) is 1; arithmetic
 * only. For digits and capital letters only: isValidBBAN has checked the BBAN's pattern first.
 */
function ibanChecksumIsValid(iban: string): boolean {
  let remainder = 0;
  for (let k = 0; k < iban.length; k++) {
    const code = iban.charCodeAt((k + 4) % iban.length);
    remainder = code < 65 ? (remainder * 10 + code - 48) % 97 : (remainder * 100 + code - 55) % 97;
  }
  return remainder === 1;
}

/**
 * The same check on an IBAN already through `normalizeSepaIban` (the file builder's hot path).
 * What ibantools' isValidIBAN does (its isValidBBAN: the country's length, BBAN pattern and
 * national check digits such as the French RIB key), with a checksum that builds no strings.
 */
export function isValidNormalizedSepaIban(iban: string): boolean {
  return /^[A-Z]{2}\d{2}/.test(iban) && isSEPACountry(iban.slice(0, 2)) && isValidBBAN(iban.slice(4), iban.slice(0, 2)) && ibanChecksumIsValid(iban);
}

export const normalizeSepaBic = (value: string): string => value.replace(/\s/g, '').toUpperCase();

const COUNTRIES = getCountrySpecifications();

/**
 * BIC (ISO 9362:2014): 4 letters or digits for the party, an ISO country, location, optional
 * branch. (ibantools' own isValidBIC refuses digits in the first four, which 2014 allows.)
 */
export function isValidSepaBic(value: string): boolean {
  const bic = normalizeSepaBic(value);
  return /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic) && COUNTRIES[bic.slice(4, 6)] !== undefined;
}

export const normalizeCreditorIdentifier = (value: string): string => value.replace(/\s/g, '').toUpperCase();

/**
 * SEPA creditor identifier (ICS in France), e.g. FR72ZZZ123456: country, 2 check digits,
 * 3-character business code (not part of the check), national identifier. The check digits are
 * ISO 7064 mod 97-10 over national identifier + country + "00"; French ones are 13 characters.
 */
export function isValidCreditorIdentifier(value: string): boolean {
  const id = normalizeCreditorIdentifier(value);
  const match = /^([A-Z]{2})(\d{2})[A-Z0-9]{3}([A-Z0-9]{1,28})$/.exec(id);
  // The pattern is the 35-character maximum: 2 + 2 + 3 + 28.
  if (!match) return false;
  const [, country, check, nationalId] = match as unknown as [string, string, string, string];
  if (!isSEPACountry(country)) return false;
  if (country === 'FR' && id.length !== 13) return false;
  return computeSepaCreditorIdCheckDigits(country, nationalId) === check;
}

/**
 * Unique mandate reference (RUM): 1 to 35 characters of the SEPA Latin set, no space, not
 * starting or ending with '/', no '//'. Case matters for the bank: it is kept as given.
 */
export const isValidMandateReference = (value: string): boolean => sepaIdentifierProblem(value) === null;

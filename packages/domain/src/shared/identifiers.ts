// Checks of the identifiers French businesses and SEPA use. Pure functions: the zod schemas in
// identifiers.schema.ts wrap them with French messages.

/** Keeps digits only ("732 829 320" -> "732829320"); letters make the result invalid elsewhere. */
export const normalizeDigits = (value: string): string => value.replace(/[\s.-]/g, '');

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** SIREN: 9 digits, Luhn key. */
export function isValidSiren(value: string): boolean {
  const s = normalizeDigits(value);
  return /^\d{9}$/.test(s) && luhn(s);
}

const LA_POSTE_SIREN = '356000000';

/** SIRET: 14 digits (SIREN + NIC), Luhn key; La Poste's establishments use a digit sum multiple of 5. */
export function isValidSiret(value: string): boolean {
  const s = normalizeDigits(value);
  if (!/^\d{14}$/.test(s)) return false;
  if (s.startsWith(LA_POSTE_SIREN)) return luhn(s) || [...s].reduce((sum, c) => sum + Number(c), 0) % 5 === 0;
  return luhn(s);
}

/** The French VAT number of a SIREN: FR + key + SIREN, key = (12 + 3 * (SIREN mod 97)) mod 97. */
export function frVatFromSiren(siren: string): string {
  const key = (12 + 3 * (Number(normalizeDigits(siren)) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${normalizeDigits(siren)}`;
}

export const normalizeVat = (value: string): string => value.replace(/[\s.-]/g, '').toUpperCase();

/**
 * French intra-EU VAT number. The numeric key is checked against the SIREN; the rare
 * alphanumeric keys (given to some entities without SIREN) are accepted on format alone.
 */
export function isValidFrVat(value: string): boolean {
  const v = normalizeVat(value);
  const numeric = /^FR(\d{2})(\d{9})$/.exec(v);
  if (numeric) return isValidSiren(numeric[2]!) && frVatFromSiren(numeric[2]!) === v;
  return /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/.test(v) && /[A-Z]/.test(v.slice(2, 4));
}

// Formats of the EU-27 VAT numbers (VIES), country prefix included ("EL" for Greece).
const EU_VAT_FORMATS: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  EL: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
};

export function isValidEuVatFormat(value: string): boolean {
  const v = normalizeVat(value);
  const format = EU_VAT_FORMATS[v.slice(0, 2)];
  return format !== undefined && format.test(v);
}

/** ISO 7064 mod 97 of an alphanumeric string, letters as A=10..Z=35, in chunks (no BigInt). */
export function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : char; // callers pass digits and upper-case letters only
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

export const normalizeIban = (value: string): string => value.replace(/\s/g, '').toUpperCase();
export const formatIban = (value: string): string => normalizeIban(value).replace(/(.{4})(?=.)/g, '$1 ');

/** BIC (ISO 9362): bank, country, location, optional branch. */
export function isValidBic(value: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value.replace(/\s/g, '').toUpperCase());
}

/**
 * Check digits of a SEPA creditor identifier (ICS): ISO 7064 mod 97-10 over the national
 * identifier + country code + "00"; the 3-character business code is not part of it.
 */
export function computeSepaCreditorIdCheckDigits(country: string, nationalId: string): string {
  return String(98 - mod97(`${nationalId}${country}00`.toUpperCase())).padStart(2, '0');
}

/** French postal code: 5 digits, departments 01-95 (Corsica 20), overseas 97x and 98x. */
export function isValidFrPostalCode(value: string): boolean {
  if (!/^\d{5}$/.test(value)) return false;
  const department = Number(value.slice(0, 2));
  return department >= 1 && department <= 98 && value !== '00000';
}

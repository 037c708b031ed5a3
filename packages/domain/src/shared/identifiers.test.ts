import { describe, expect, it } from 'vitest';
import {
  computeSepaCreditorIdCheckDigits,
  formatIban,
  frVatFromSiren,
  isValidBic,
  isValidEuVatFormat,
  isValidFrPostalCode,
  isValidFrVat,
  isValidSiren,
  isValidSiret,
} from './identifiers.ts';
import { formatEur, vatOfLine } from './money.ts';
import { isValidCreditorIdentifier as isValidSepaCreditorId, isValidSepaIban as isValidIban } from '../sepa/sepa-identifiers.ts';

describe('SIREN and SIRET', () => {
  it('accept real numbers and refuse one changed digit', () => {
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('552 100 554')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren('73282932')).toBe(false);
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('7328293200007A')).toBe(false);
  });

  it('know La Poste, whose establishments break the Luhn rule', () => {
    expect(isValidSiret('35600000000048')).toBe(true);
    expect(isValidSiret('35600000049837')).toBe(true); // digit sum 50, not Luhn-valid
    expect(isValidSiret('35600000049838')).toBe(false);
  });
});

describe('VAT numbers', () => {
  it('derive and check the French key from the SIREN', () => {
    expect(frVatFromSiren('732829320')).toBe('FR44732829320');
    expect(isValidFrVat('FR44732829320')).toBe(true);
    expect(isValidFrVat('FR45732829320')).toBe(false);
    expect(isValidFrVat('FR44732829321')).toBe(false);
  });

  it('check other EU numbers on their format', () => {
    expect(isValidEuVatFormat('DE123456789')).toBe(true);
    expect(isValidEuVatFormat('NL123456789B01')).toBe(true);
    expect(isValidEuVatFormat('DE12345678')).toBe(false);
    expect(isValidEuVatFormat('US123456789')).toBe(false);
  });
});

describe('IBAN, BIC and creditor identifiers', () => {
  it('check IBANs with mod 97 and the country length', () => {
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('FR1420041010050500013M02607')).toBe(false);
    expect(isValidIban('FR1420041010050500013M0260')).toBe(false);
    expect(formatIban('fr1420041010050500013m02606')).toBe('FR14 2004 1010 0505 0001 3M02 606');
  });

  it('check BIC formats', () => {
    expect(isValidBic('PSSTFRPPLYO')).toBe(true);
    expect(isValidBic('BNPAFRPP')).toBe(true);
    expect(isValidBic('BNPAFRP')).toBe(false);
    expect(isValidBic('1NPAFRPP')).toBe(false);
  });

  it('check SEPA creditor identifiers (ICS), ignoring the business code', () => {
    expect(computeSepaCreditorIdCheckDigits('FR', '123456')).toBe('72');
    expect(isValidSepaCreditorId('FR72ZZZ123456')).toBe(true);
    expect(isValidSepaCreditorId('FR72ABC123456')).toBe(true);
    expect(isValidSepaCreditorId('FR73ZZZ123456')).toBe(false);
    expect(isValidSepaCreditorId('FR72ZZZ1234567')).toBe(false);
  });
});

describe('postal codes', () => {
  it('accept metropolitan, Corsican and overseas codes', () => {
    for (const code of ['75002', '01000', '20000', '97400', '98800']) expect(isValidFrPostalCode(code)).toBe(true);
    for (const code of ['7500', '00000', '99000', 'ABCDE']) expect(isValidFrPostalCode(code)).toBe(false);
  });
});

describe('money', () => {
  it('rounds VAT half-up to the cent with integers only', () => {
    expect(vatOfLine(1000, 2000)).toBe(200);
    expect(vatOfLine(1, 550)).toBe(0); // 0.055 cent
    expect(vatOfLine(100, 550)).toBe(6); // 5.5 cents -> 6
    expect(vatOfLine(10, 550)).toBe(1); // 0.55 cent -> 1
    expect(vatOfLine(1999, 2000)).toBe(400); // 399.8 -> 400
    expect(() => vatOfLine(10.5, 2000)).toThrow();
  });

  it('formats euros the French way', () => {
    expect(formatEur(123456)).toBe('1\u202f234,56\u00a0€');
  });
});

import { describe, expect, it } from 'vitest';
import { formatEur, vatOfLine, ZCents } from '../src/shared/money.ts';

// Money in integer cents: VAT rounded half-up to the cent (away from zero for a credit, so a
// refund mirrors its debit), and the cents that inputs accept.

describe('VAT of a line', () => {
  it('rounds half-up at exactly half a cent, down below it', () => {
    expect(vatOfLine(10, 5_000)).toBe(5); // 5.0
    expect(vatOfLine(1, 5_000)).toBe(1); // 0.5 -> 1
    expect(vatOfLine(1, 4_999)).toBe(0); // 0.4999 -> 0
    expect(vatOfLine(100, 550)).toBe(6); // 5.5 -> 6
    expect(vatOfLine(99, 550)).toBe(5); // 5.445 -> 5
    expect(vatOfLine(0, 2_000)).toBe(0);
    expect(vatOfLine(12_345, 0)).toBe(0);
    expect(vatOfLine(1_000, 210)).toBe(21); // 2.1 %
  });

  it('mirrors a debit for a credit: the same cents, negative', () => {
    for (const [amount, rate] of [[1, 5_000], [100, 550], [99, 550], [1_999, 2_000], [3_333, 2_000]] as const) {
      expect(vatOfLine(-amount, rate), `${amount} ${rate}`).toBe(-vatOfLine(amount, rate));
    }
    expect(vatOfLine(-1, 5_000)).toBe(-1);
  });

  it('refuses anything but safe integers', () => {
    expect(() => vatOfLine(10.5, 2_000)).toThrow(new RangeError('integers only'));
    expect(() => vatOfLine(1_000, 5.5)).toThrow(RangeError);
    expect(() => vatOfLine(2 ** 53, 2_000)).toThrow(RangeError);
    expect(() => vatOfLine(Number.MAX_SAFE_INTEGER, 0)).not.toThrow();
  });
});

describe('cents', () => {
  it('are non-negative safe integers', () => {
    for (const ok of [0, 1, 99_999_999, Number.MAX_SAFE_INTEGER]) expect(ZCents.safeParse(ok).success, String(ok)).toBe(true);
    for (const bad of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, '100', Number.NaN]) expect(ZCents.safeParse(bad).success, String(bad)).toBe(false);
    expect(ZCents.safeParse(1.5).error?.issues[0]?.message).toBe('Montant en centimes entiers');
  });

  it('are shown in euros the French way', () => {
    expect(formatEur(0)).toBe('0,00\u00a0€');
    expect(formatEur(5)).toBe('0,05\u00a0€');
    expect(formatEur(123_456)).toBe('1\u202f234,56\u00a0€');
    expect(formatEur(-1_703)).toBe('-17,03\u00a0€');
  });
});

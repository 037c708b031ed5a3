import { describe, expect, it } from 'vitest';
import { isBusinessDay } from '../src/calendar/business-days.ts';
import {
  decideRetry,
  manualRepresentationRefusal,
  paydayOnOrAfter,
  rejectFeeCents,
  representationDate,
  type RejectedDebit,
  type RetryPolicy,
} from '../src/retries/retry-rules.ts';
import { SEPA_REASONS } from '../src/sepa/sepa-reason-codes.ts';

// The re-presentation rules alone: which reasons go back to the bank, how many times, and on
// which payday (month ends, weekends and TARGET2 closing days: 1 January, Good Friday, Easter
// Monday, 1 May, 25 and 26 December).

const policy: RetryPolicy = { ms03MeansInsufficientFunds: false, maxRepresentations: 2 };
const debit = (fields: Partial<RejectedDebit> = {}): RejectedDebit => ({
  reasonCode: 'AM04',
  rTransaction: 'reject',
  attempt: 1,
  kind: 'instalment',
  mandateActive: true,
  ...fields,
});

describe('which rejections go back to the bank', () => {
  it('re-presents insufficient funds (AM04) only, every other known code goes to dunning', () => {
    for (const reason of SEPA_REASONS) {
      const decision = decideRetry(debit({ reasonCode: reason.code }), policy);
      if (reason.code === 'AM04') expect(decision, reason.code).toEqual({ kind: 'represent', attempt: 2, category: 'insufficient_funds' });
      else expect(decision, reason.code).toEqual({ kind: 'unrecovered', why: 'not_retryable', category: reason.category });
    }
  });

  it('never re-presents an unknown or missing code, a refund, a reject fee or a debit on a mandate no longer active', () => {
    expect(decideRetry(debit({ reasonCode: 'ZZ99' }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable', category: 'unknown' });
    expect(decideRetry(debit({ reasonCode: null }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable', category: 'unknown' });
    expect(decideRetry(debit({ rTransaction: 'refund' }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable' });
    expect(decideRetry(debit({ kind: 'reject_fee' }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable' });
    expect(decideRetry(debit({ mandateActive: false }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable' });
    // A return after settlement for want of funds goes back like a reject.
    expect(decideRetry(debit({ rTransaction: 'return' }), policy)).toMatchObject({ kind: 'represent', attempt: 2 });
  });

  it('re-presents MS03 only when the organisation says its bank uses it for insufficient funds', () => {
    expect(decideRetry(debit({ reasonCode: 'MS03' }), policy)).toMatchObject({ kind: 'unrecovered', why: 'not_retryable', category: 'unknown' });
    expect(decideRetry(debit({ reasonCode: 'ms03 ' }), { ...policy, ms03MeansInsufficientFunds: true })).toEqual({
      kind: 'represent',
      attempt: 2,
      category: 'insufficient_funds',
    });
  });

  it('stops after the allowed number of re-presentations (2 by default, 0 means never)', () => {
    expect(decideRetry(debit({ attempt: 2 }), policy)).toMatchObject({ kind: 'represent', attempt: 3 });
    expect(decideRetry(debit({ attempt: 3 }), policy)).toMatchObject({ kind: 'unrecovered', why: 'attempts_exhausted' });
    expect(decideRetry(debit({ attempt: 1 }), { ...policy, maxRepresentations: 0 })).toMatchObject({ kind: 'unrecovered', why: 'attempts_exhausted' });
    // A reason that never goes back says so, whatever the attempt.
    expect(decideRetry(debit({ attempt: 3, reasonCode: 'AC04' }), policy)).toMatchObject({ why: 'not_retryable' });
  });

  it('lets a person re-present a closed account only once new bank details were given', () => {
    expect(manualRepresentationRefusal(debit({ reasonCode: 'AC04' }), policy, false)).toMatch(/nouvelles coordonnées/);
    expect(manualRepresentationRefusal(debit({ reasonCode: 'AC04' }), policy, true)).toBeNull();
    expect(manualRepresentationRefusal(debit(), policy, false)).toBeNull();
    expect(manualRepresentationRefusal(debit({ attempt: 3 }), policy, true)).toMatch(/maximal/);
    expect(manualRepresentationRefusal(debit({ kind: 'reject_fee' }), policy, true)).toMatch(/frais de rejet/i);
    expect(manualRepresentationRefusal(debit({ mandateActive: false }), policy, true)).toMatch(/mandat/);
  });
});

describe('the payday rule', () => {
  it('after the 1st: the first TARGET2 business day after the 1st, the month after when that is past', () => {
    expect(paydayOnOrAfter('2026-09-20', 'after_first_of_month')).toBe('2026-10-02'); // Thu 1 Oct open: the 2nd
    expect(paydayOnOrAfter('2026-10-02', 'after_first_of_month')).toBe('2026-10-02');
    expect(paydayOnOrAfter('2026-10-03', 'after_first_of_month')).toBe('2026-11-02'); // Sun 1 Nov: Monday 2nd
    expect(paydayOnOrAfter('2026-07-15', 'after_first_of_month')).toBe('2026-08-03'); // Sat 1 Aug: Monday 3rd
  });

  it('after the month end: the first TARGET2 business day after the month’s last one', () => {
    expect(paydayOnOrAfter('2026-09-20', 'after_month_end')).toBe('2026-10-01'); // last of September: Wed 30
    expect(paydayOnOrAfter('2026-10-02', 'after_month_end')).toBe('2026-11-02'); // last of October: Fri 30
    expect(paydayOnOrAfter('2026-07-15', 'after_month_end')).toBe('2026-08-03');
  });

  it('skips 25-26 December and 1 January across the year end', () => {
    expect(paydayOnOrAfter('2026-12-20', 'after_first_of_month')).toBe('2027-01-04'); // Fri 1 Jan closed, weekend
    expect(paydayOnOrAfter('2026-12-20', 'after_month_end')).toBe('2027-01-04'); // last of December: Thu 31
    expect(paydayOnOrAfter('2026-12-25', 'earliest')).toBe('2026-12-28'); // Fri 25 and Sat 26 closed
    expect(paydayOnOrAfter('2027-12-24', 'earliest')).toBe('2027-12-24'); // Fri 24 is open
    expect(paydayOnOrAfter('2030-12-25', 'earliest')).toBe('2030-12-27'); // Wed 25, Thu 26 closed
  });

  it('skips Good Friday and Easter Monday around the turn of the month', () => {
    // Easter 2024: 31 March. Good Friday 29 March, Easter Monday 1 April.
    expect(paydayOnOrAfter('2024-03-20', 'after_month_end')).toBe('2024-04-02'); // last of March: Thu 28
    expect(paydayOnOrAfter('2024-03-20', 'after_first_of_month')).toBe('2024-04-02');
    // Easter 2029: 1 April. Good Friday 30 March, Easter Monday 2 April.
    expect(paydayOnOrAfter('2029-03-10', 'after_first_of_month')).toBe('2029-04-03');
    expect(paydayOnOrAfter('2029-03-10', 'after_month_end')).toBe('2029-04-03'); // last of March: Thu 29
  });

  it('skips 1 May', () => {
    expect(paydayOnOrAfter('2026-04-22', 'after_first_of_month')).toBe('2026-05-04'); // Fri 1 May closed, weekend
    expect(paydayOnOrAfter('2025-04-22', 'after_month_end')).toBe('2025-05-02'); // last of April: Wed 30, Thu 1 May closed
    expect(paydayOnOrAfter('2025-04-22', 'after_first_of_month')).toBe('2025-05-02');
  });

  it('is always a TARGET2 business day on or after the earliest date, within about a month', () => {
    for (let day = 0; day < 3 * 366; day++) {
      const earliest = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      for (const rule of ['after_first_of_month', 'after_month_end', 'earliest'] as const) {
        const payday = paydayOnOrAfter(earliest, rule);
        expect(isBusinessDay(payday, 'target2'), `${rule} ${earliest}`).toBe(true);
        expect(payday >= earliest, `${rule} ${earliest}`).toBe(true);
        expect(new Date(payday).getTime() - new Date(earliest).getTime(), `${rule} ${earliest}`).toBeLessThanOrEqual(36 * 86_400_000);
      }
    }
  });

  it('comes after the notice and the bank’s cut-off', () => {
    const lead = { preNotificationDays: 14, cutOffBusinessDays: 1 };
    expect(representationDate('2026-12-08', lead, 'earliest')).toBe('2026-12-22');
    expect(representationDate('2026-12-08', lead, 'after_first_of_month')).toBe('2027-01-04');
    expect(representationDate('2026-12-08', lead, 'after_month_end')).toBe('2027-01-04');
    expect(representationDate('2026-04-08', lead, 'after_first_of_month')).toBe('2026-05-04');
    expect(representationDate('2026-04-08', { ...lead, preNotificationDays: 2 }, 'after_month_end')).toBe('2026-05-04');
  });
});

describe('the reject fee', () => {
  it('is charged only when the contract states one and the organisation enables it', () => {
    expect(rejectFeeCents(1_500, true)).toBe(1_500);
    expect(rejectFeeCents(1_500, false)).toBeNull();
    expect(rejectFeeCents(null, true)).toBeNull();
    expect(rejectFeeCents(0, true)).toBeNull();
  });
});

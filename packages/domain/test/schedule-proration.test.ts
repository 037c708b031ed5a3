import { describe, expect, it } from 'vitest';
import { addDays } from '../src/calendar/business-days.ts';
import { contractEndDate, periodAmountCents, planSchedule, type PlannedPeriod, type ScheduleLine } from '../src/payments/schedule-rules.ts';

// The proration rule of schedule-rules.ts (and ARCHITECTURE.md): whole calendar periods at their
// price whatever their number of days, cut periods by days, and a contract of a whole number of
// periods billed exactly that many periods, leap years included.

/** 1,200.00 EUR excluding VAT a year, 20 % VAT: 1,440.00 EUR. */
const YEARLY: ScheduleLine[] = [{ quantity: 1, unitPriceCents: 120_000, vatRateBasisPoints: 2_000 }];
const MONTHLY: ScheduleLine[] = [{ quantity: 1, unitPriceCents: 10_000, vatRateBasisPoints: 2_000 }];
/** Two lines whose prorated amounts round differently, one with a reduced VAT rate. */
const AWKWARD: ScheduleLine[] = [
  { quantity: 3, unitPriceCents: 3_333, vatRateBasisPoints: 550 },
  { quantity: 1, unitPriceCents: 1_999, vatRateBasisPoints: 2_000 },
];
const MONTHS = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 } as const;
type Frequency = keyof typeof MONTHS;

const plan = (startDate: string, durationMonths: number, frequency: Frequency, lines: ScheduleLine[] = YEARLY) =>
  planSchedule({ startDate, durationMonths, frequency, debitDay: 5, lines });
const total = (periods: PlannedPeriod[]) => periods.reduce((sum, p) => sum + p.amountCents, 0);
const spans = (periods: PlannedPeriod[]) => periods.map((p) => [p.periodStart, p.periodEnd, p.amountCents, p.prorated]);

describe('proration of a schedule', () => {
  it('a 12-month yearly contract across February 29 costs one year exactly (it cost 1,443.12 EUR)', () => {
    const periods = plan('2027-03-17', 12, 'yearly');
    // 290 of 2027's 365 days: 120000 x 290/365 = 95342.47 -> 95342 + VAT 19068.4 -> 19068.
    expect(spans(periods)).toEqual([
      ['2027-03-17', '2027-12-31', 114_410, true],
      ['2028-01-01', '2028-03-16', 144_000 - 114_410, true],
    ]);
    expect(total(periods)).toBe(144_000);
    for (const years of [2, 3, 5]) expect(total(plan('2027-03-17', 12 * years, 'yearly'))).toBe(years * 144_000);
  });

  it('starting on 2028-02-29: monthly, quarterly, half-yearly and yearly bill their whole periods exactly', () => {
    const monthly = plan('2028-02-29', 12, 'monthly', MONTHLY);
    expect(monthly).toHaveLength(13);
    // One day of a 29-day February, then March to January whole, then February 2029 whole: the
    // anniversary (29 February 2029) does not exist, so the year ends on 2029-02-28 (it ended on the
    // 27th); the last period is billed what the first one left of a month.
    expect(spans([monthly[0]!, monthly[1]!, monthly[12]!])).toEqual([
      ['2028-02-29', '2028-02-29', 414, true],
      ['2028-03-01', '2028-03-31', 12_000, false],
      ['2029-02-01', '2029-02-28', 12_000 - 414, true],
    ]);
    expect(total(monthly)).toBe(12 * 12_000);
    expect(total(plan('2028-02-29', 12, 'quarterly'))).toBe(4 * 144_000);
    expect(total(plan('2028-02-29', 12, 'half_yearly'))).toBe(2 * 144_000);
    const yearly = plan('2028-02-29', 12, 'yearly');
    // 307 of 2028's 366 days.
    expect(spans(yearly)).toEqual([
      ['2028-02-29', '2028-12-31', 120_787, true],
      ['2029-01-01', '2029-02-28', 144_000 - 120_787, true],
    ]);
    expect(total(plan('2028-02-29', 48, 'yearly'))).toBe(4 * 144_000);
  });

  it('ends the day before the anniversary, or on the month’s last day when the anniversary does not exist', () => {
    const ends = (cases: [string, number][]) => cases.map(([start, months]) => `${start}+${months}=${contractEndDate(start, months)}`);
    expect(ends([['2028-02-29', 12], ['2028-02-29', 48], ['2027-01-31', 1], ['2027-01-28', 1], ['2028-01-30', 1], ['2027-03-31', 6], ['2027-03-17', 12], ['2027-03-17', 0]])).toEqual([
      '2028-02-29+12=2029-02-28',
      '2028-02-29+48=2032-02-28',
      '2027-01-31+1=2027-02-28',
      '2027-01-28+1=2027-02-27',
      '2028-01-30+1=2028-02-29',
      '2027-03-31+6=2027-09-30',
      '2027-03-17+12=2028-03-16',
      '2027-03-17+0=2027-03-17',
    ]);
  });

  it('whole calendar periods cost their price in a leap year as in any other', () => {
    const year = plan('2028-01-01', 24, 'yearly');
    expect(spans(year)).toEqual([
      ['2028-01-01', '2028-12-31', 144_000, false],
      ['2029-01-01', '2029-12-31', 144_000, false],
    ]);
    const months = plan('2028-01-01', 3, 'monthly', MONTHLY);
    expect(months.map((p) => p.amountCents)).toEqual([12_000, 12_000, 12_000]);
    expect(plan('2028-01-01', 6, 'quarterly').map((p) => p.amountCents)).toEqual([144_000, 144_000]);
  });

  it('every start day of 2027 to 2029, every frequency, 1 to 3 years: exact sums, each item within a period, the first prorated by days', () => {
    const problems: string[] = [];
    let checked = 0;
    for (let start = '2027-01-01'; start <= '2029-12-31'; start = addDays(start, 1)) {
      for (const frequency of Object.keys(MONTHS) as Frequency[]) {
        for (const lines of [AWKWARD]) {
          const full = periodAmountCents(lines);
          for (const periodsCount of [12 / MONTHS[frequency], 24 / MONTHS[frequency], 36 / MONTHS[frequency]]) {
            const periods = plan(start, periodsCount * MONTHS[frequency], frequency, lines);
            const label = `${start} ${frequency} x${periodsCount}`;
            if (total(periods) !== periodsCount * full) problems.push(`${label}: total ${total(periods)}`);
            for (const p of periods) {
              if (p.amountCents < 0 || p.amountCents > full) problems.push(`${label}: ${p.periodStart} ${p.amountCents}`);
              if (!p.prorated && p.amountCents !== full) problems.push(`${label}: whole ${p.periodStart} ${p.amountCents}`);
            }
            checked++;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBe((3 * 365 + 1) * 4 * 3);
  });

  it('two halves each rounded up do not make a cent more than the period', () => {
    // 3 cents a month, no VAT; 14 of February's 28 days, twice: 1.5 -> 2 and 1.5 -> 2 by days alone.
    const periods = plan('2026-02-15', 12, 'monthly', [{ quantity: 1, unitPriceCents: 3, vatRateBasisPoints: 0 }]);
    expect(periods[0]!.amountCents).toBe(2);
    expect(periods.at(-1)!.amountCents).toBe(1);
    expect(total(periods)).toBe(36);
  });

  it('a duration that is not a whole number of periods ends with a part period prorated by its days', () => {
    // 18 months billed yearly from 1 January 2027: 2027 whole, then 182 of 2028's 366 days.
    const periods = plan('2027-01-01', 18, 'yearly');
    expect(spans(periods)).toEqual([
      ['2027-01-01', '2027-12-31', 144_000, false],
      ['2028-01-01', '2028-06-30', 59_672 + 11_934, true],
    ]);
  });
});

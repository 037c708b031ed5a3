import { describe, expect, it } from 'vitest';
import { vatOfLine } from '../src/shared/money.ts';
import {
  addMonths,
  calendarPeriodOf,
  catchUpDueDate,
  contractEndDate,
  cutPeriodAt,
  daysBetweenInclusive,
  dueDateFor,
  periodAmountCents,
  planSchedule,
} from '../src/payments/schedule-rules.ts';

// The pieces of schedule-rules.ts one by one (schedule-proration.test.ts checks whole schedules):
// calendar arithmetic, due dates on the debit day, period amounts rounded half-up, a period cut
// by a termination, and where a suspension's held debits go on resumption.

const LINE = [{ quantity: 1, unitPriceCents: 10_000, vatRateBasisPoints: 2_000 }];

describe('calendar arithmetic', () => {
  it('adds months, the day clamped to the month\'s end, across years and back', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-15', 10)).toBe('2027-01-15');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-05-31', -3)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-01-15', 0)).toBe('2026-01-15');
    expect(addMonths('0999-12-01', 1)).toBe('1000-01-01');
    expect(addMonths('0999-01-15', 1)).toBe('0999-02-15');
  });

  it('counts the days of a span, both ends included', () => {
    expect(daysBetweenInclusive('2026-03-01', '2026-03-01')).toBe(1);
    expect(daysBetweenInclusive('2026-03-01', '2026-03-31')).toBe(31);
    expect(daysBetweenInclusive('2028-01-01', '2028-12-31')).toBe(366);
    expect(daysBetweenInclusive('2026-03-28', '2026-03-30')).toBe(3); // over the change to summer time
  });

  it('ends a contract the day before its anniversary; a contract of no months on its start day', () => {
    expect(contractEndDate('2026-03-10', 12)).toBe('2027-03-09');
    // No 31 February: the month's last day ends it (a month from 31 January covers February whole).
    expect(contractEndDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(contractEndDate('2026-01-28', 1)).toBe('2026-02-27');
    expect(contractEndDate('2026-03-10', 0)).toBe('2026-03-10');
  });

  it('finds the calendar month, quarter, half-year and year of a date', () => {
    expect(calendarPeriodOf('2026-02-14', 'monthly')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(calendarPeriodOf('2026-05-14', 'quarterly')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(calendarPeriodOf('2026-03-31', 'quarterly')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(calendarPeriodOf('2026-07-01', 'half_yearly')).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(calendarPeriodOf('2026-06-30', 'half_yearly')).toEqual({ start: '2026-01-01', end: '2026-06-30' });
    expect(calendarPeriodOf('2028-12-31', 'yearly')).toEqual({ start: '2028-01-01', end: '2028-12-31' });
  });
});

describe('due dates', () => {
  it('fall on the debit day on or after the period start, clamped to the month\'s end', () => {
    expect(dueDateFor('2026-03-01', 5)).toBe('2026-03-05');
    expect(dueDateFor('2026-03-05', 5)).toBe('2026-03-05');
    expect(dueDateFor('2026-03-06', 5)).toBe('2026-04-05');
    expect(dueDateFor('2026-02-10', 31)).toBe('2026-02-28');
    expect(dueDateFor('2026-02-28', 31)).toBe('2026-02-28');
    expect(dueDateFor('2026-01-31', 30)).toBe('2026-02-28');
    expect(dueDateFor('2026-12-20', 10)).toBe('2027-01-10');
    expect(dueDateFor('2026-03-31', 31)).toBe('2026-03-31');
  });
});

describe('period amounts', () => {
  it('are quantity x price plus VAT per line, each rounded half-up', () => {
    expect(periodAmountCents(LINE)).toBe(12_000);
    expect(periodAmountCents([{ quantity: 3, unitPriceCents: 333, vatRateBasisPoints: 550 }])).toBe(999 + vatOfLine(999, 550));
    expect(periodAmountCents([...LINE, { quantity: 2, unitPriceCents: 250, vatRateBasisPoints: 0 }])).toBe(12_500);
    expect(periodAmountCents([])).toBe(0);
  });

  it('prorate each line excluding VAT half-up, then its VAT', () => {
    // 10 000 x 1/3 = 3 333.33 -> 3 333, VAT 666.6 -> 667.
    expect(periodAmountCents(LINE, { num: 1, den: 3 })).toBe(3_333 + 667);
    // 10 000 x 1/8 = 1 250 exactly; x 1/16 = 625; x 1/32 = 312.5 -> 313 (half up).
    expect(periodAmountCents([{ quantity: 1, unitPriceCents: 10_000, vatRateBasisPoints: 0 }], { num: 1, den: 32 })).toBe(313);
    expect(periodAmountCents([{ quantity: 1, unitPriceCents: 10_000, vatRateBasisPoints: 0 }], { num: 3, den: 64 })).toBe(469); // 468.75
    expect(periodAmountCents([{ quantity: 1, unitPriceCents: 10_000, vatRateBasisPoints: 0 }], { num: 1, den: 64 })).toBe(156); // 156.25
    expect(periodAmountCents(LINE, { num: 28, den: 28 })).toBe(12_000);
  });
});

describe('a period cut by a termination', () => {
  const period = { periodStart: '2026-04-01', periodEnd: '2026-04-30', frequency: 'monthly' as const, lines: LINE };

  it('covers its start to the end date, prorated by days over its calendar period', () => {
    expect(cutPeriodAt({ ...period, endDate: '2026-04-15' })).toEqual({ periodEnd: '2026-04-15', amountCents: periodAmountCents(LINE, { num: 15, den: 30 }) });
    expect(cutPeriodAt({ ...period, endDate: '2026-04-01' })).toEqual({ periodEnd: '2026-04-01', amountCents: periodAmountCents(LINE, { num: 1, den: 30 }) });
    // A first period that started mid-month: the days it covers over the whole month's days.
    expect(cutPeriodAt({ ...period, periodStart: '2026-04-10', endDate: '2026-04-19' })).toEqual({ periodEnd: '2026-04-19', amountCents: periodAmountCents(LINE, { num: 10, den: 30 }) });
    expect(cutPeriodAt({ periodStart: '2028-01-01', periodEnd: '2028-12-31', frequency: 'yearly', lines: LINE, endDate: '2028-02-29' })).toEqual({
      periodEnd: '2028-02-29',
      amountCents: periodAmountCents(LINE, { num: 60, den: 366 }),
    });
  });

  it('is nothing to cut when the end date is outside the period or at its end, or for a one-off', () => {
    expect(cutPeriodAt({ ...period, endDate: '2026-04-30' })).toBeNull();
    expect(cutPeriodAt({ ...period, endDate: '2026-05-01' })).toBeNull();
    expect(cutPeriodAt({ ...period, endDate: '2026-03-31' })).toBeNull();
    expect(cutPeriodAt({ ...period, frequency: 'one_off', endDate: '2026-04-15' })).toBeNull();
  });
});

describe('a schedule', () => {
  it('is one item for a one-off contract, due on the debit day, not prorated', () => {
    expect(planSchedule({ startDate: '2026-03-10', durationMonths: 12, frequency: 'one_off', debitDay: 5, lines: LINE })).toEqual([
      { periodStart: '2026-03-10', periodEnd: '2027-03-09', dueDate: '2026-04-05', amountCents: 12_000, prorated: false },
    ]);
  });

  it('prorates a first period the start cuts and bills the last as the rest of one period', () => {
    const items = planSchedule({ startDate: '2026-03-16', durationMonths: 3, frequency: 'monthly', debitDay: 5, lines: LINE });
    expect(items.map((i) => [i.periodStart, i.periodEnd, i.dueDate, i.prorated])).toEqual([
      ['2026-03-16', '2026-03-31', '2026-04-05', true],
      ['2026-04-01', '2026-04-30', '2026-04-05', false],
      ['2026-05-01', '2026-05-31', '2026-05-05', false],
      ['2026-06-01', '2026-06-15', '2026-06-05', true],
    ]);
    expect(items[0]!.amountCents).toBe(periodAmountCents(LINE, { num: 16, den: 31 }));
    expect(items[3]!.amountCents).toBe(12_000 - items[0]!.amountCents);
    expect(items.reduce((sum, i) => sum + i.amountCents, 0)).toBe(3 * 12_000);
  });

  it('prorates the last period by its days when the duration is not a whole number of periods', () => {
    const items = planSchedule({ startDate: '2026-01-01', durationMonths: 4, frequency: 'quarterly', debitDay: 1, lines: LINE });
    expect(items.map((i) => [i.periodStart, i.periodEnd, i.prorated, i.amountCents])).toEqual([
      ['2026-01-01', '2026-03-31', false, 12_000],
      ['2026-04-01', '2026-04-30', true, periodAmountCents(LINE, { num: 30, den: 91 })],
    ]);
  });

  it('bills whole periods their price, one item each', () => {
    const items = planSchedule({ startDate: '2026-01-01', durationMonths: 12, frequency: 'half_yearly', debitDay: 28, lines: LINE });
    expect(items).toEqual([
      { periodStart: '2026-01-01', periodEnd: '2026-06-30', dueDate: '2026-01-28', amountCents: 12_000, prorated: false },
      { periodStart: '2026-07-01', periodEnd: '2026-12-31', dueDate: '2026-07-28', amountCents: 12_000, prorated: false },
    ]);
  });
});

describe('debits held by a suspension, on resumption', () => {
  it('go together to the first debit day whose collection date the debtor can be notified for', () => {
    // Resumed Monday 7 December 2026, 14 days' notice, 1 day cut-off: earliest 21 December.
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 5, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2027-01-05' });
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 21, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2026-12-21' });
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 28, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2026-12-28' });
  });

  it('keep a debit day that falls on a closed day when its next TARGET2 day is late enough', () => {
    // Christmas Day is collected on Monday 28 December: late enough, it stays.
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 25, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2026-12-25' });
    // Saturday 19 December 2026 is collected on Monday 21, the earliest date: it will do.
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 19, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2026-12-19' });
    // Friday 18 is too early: the next month's 18th.
    expect(catchUpDueDate({ resumedOn: '2026-12-07', debitDay: 18, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-21', dueDate: '2027-01-18' });
  });
});

import { addDays, type IsoDate } from '../calendar/business-days.ts';
import { vatOfLine } from '../shared/money.ts';

/**
 * How a contract becomes a payment schedule (pure functions, no database).
 *
 * Periods are aligned on the calendar: a monthly period is a calendar month, a quarterly one a
 * calendar quarter (January, April, July, October), a half-yearly one a calendar half-year, a
 * yearly one a calendar year. A contract runs from its start date for `durationMonths` months
 * (end = start + duration - 1 day). The first period starts on the start date and the last one
 * ends on the end date; when either does not cover its whole calendar period it is prorated by
 * days: each line's amount excluding VAT times (days covered / days in the calendar period),
 * rounded half-up to the cent, then the line's VAT on that amount (rounded half-up), summed.
 * A one-off contract has one item for the whole amount.
 *
 * An item is due on the debit day (the contract's, else the organisation's) of the first
 * month in which that day falls on or after the period start (so a period starting on the
 * 10th with a debit day of 5 is due on the 5th of the next month). A debit day past the end of
 * a month means its last day. The due date is the contractual calendar date and is NOT moved
 * off weekends or holidays: a batch collects every item due on or before its collection date,
 * and only the collection date has to be a TARGET2 business day.
 */

export type Frequency = 'one_off' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';

const MONTHS: Record<Exclude<Frequency, 'one_off'>, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

export interface ScheduleLine {
  quantity: number;
  unitPriceCents: number;
  vatRateBasisPoints: number;
}

export interface PlannedPeriod {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  dueDate: IsoDate;
  amountCents: number;
  prorated: boolean;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate(); // month 1-12
const parts = (iso: IsoDate) => ({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) });
const iso = (y: number, m: number, d: number): IsoDate =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** `date` plus `months` calendar months, the day clamped to the target month's length. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { y, m, d } = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  return iso(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

export const daysBetweenInclusive = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** Half-up rounding of value * num / den for non-negative integers, in integers only. */
function mulDivHalfUp(value: number, num: number, den: number): number {
  return Math.floor((2 * value * num + den) / (2 * den));
}

/** The amount of one period: per line, quantity x unit price (prorated when asked) + its VAT. */
export function periodAmountCents(lines: readonly ScheduleLine[], fraction: { num: number; den: number } = { num: 1, den: 1 }): number {
  let total = 0;
  for (const line of lines) {
    const ht = mulDivHalfUp(line.quantity * line.unitPriceCents, fraction.num, fraction.den);
    total += ht + vatOfLine(ht, line.vatRateBasisPoints);
  }
  return total;
}

/** The first date on or after `from` whose day of the month is `debitDay` (clamped to the month's end). */
export function dueDateFor(from: IsoDate, debitDay: number): IsoDate {
  const { y, m, d } = parts(from);
  const here = Math.min(debitDay, daysInMonth(y, m));
  if (here >= d) return iso(y, m, here);
  const next = addMonths(iso(y, m, 1), 1);
  const n = parts(next);
  return iso(n.y, n.m, Math.min(debitDay, daysInMonth(n.y, n.m)));
}

export function contractEndDate(startDate: IsoDate, durationMonths: number): IsoDate {
  return durationMonths > 0 ? addDays(addMonths(startDate, durationMonths), -1) : startDate;
}

export function planSchedule(input: {
  startDate: IsoDate;
  durationMonths: number;
  frequency: Frequency;
  debitDay: number;
  lines: readonly ScheduleLine[];
}): PlannedPeriod[] {
  const end = contractEndDate(input.startDate, input.durationMonths);
  if (input.frequency === 'one_off') {
    return [{ periodStart: input.startDate, periodEnd: end, dueDate: dueDateFor(input.startDate, input.debitDay), amountCents: periodAmountCents(input.lines), prorated: false }];
  }
  const step = MONTHS[input.frequency];
  const periods: PlannedPeriod[] = [];
  let cursor = input.startDate;
  while (cursor <= end) {
    const { y, m } = parts(cursor);
    const calendarStart = iso(y, Math.floor((m - 1) / step) * step + 1, 1);
    const calendarEnd = addDays(addMonths(calendarStart, step), -1);
    const periodEnd = calendarEnd < end ? calendarEnd : end;
    const covered = daysBetweenInclusive(cursor, periodEnd);
    const whole = daysBetweenInclusive(calendarStart, calendarEnd);
    const prorated = covered !== whole;
    periods.push({
      periodStart: cursor,
      periodEnd,
      dueDate: dueDateFor(cursor, input.debitDay),
      amountCents: periodAmountCents(input.lines, prorated ? { num: covered, den: whole } : undefined),
      prorated,
    });
    cursor = addDays(calendarEnd, 1);
  }
  return periods;
}

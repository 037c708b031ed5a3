import { addBusinessDays, addDays, nextCollectionDate, type IsoDate } from '../calendar/business-days.ts';
import { vatOfLine } from '../shared/money.ts';

/**
 * How a contract becomes a payment schedule (pure functions, no database).
 *
 * Periods are aligned on the calendar: a monthly period is a calendar month, a quarterly one a
 * calendar quarter (January, April, July, October), a half-yearly one a calendar half-year, a
 * yearly one a calendar year. A contract runs from its start date for `durationMonths` months
 * (end = the day before its anniversary, or the month's last day when that day does not exist: contractEndDate). The first period starts on the start date and the last one
 * ends on the end date.
 *
 * What they cost (the proration rule, also in ARCHITECTURE.md):
 * - a calendar period the contract covers whole is billed its full price, whatever its number of
 *   days (a February of 28 or 29, a year of 365 or 366);
 * - a period the start or the end cuts is prorated by days: each line's amount excluding VAT times
 *   (days covered / days in that calendar period), rounded half-up to the cent, then the line's VAT
 *   on that amount (rounded half-up), summed;
 * - except the last period of a contract that lasts a whole number of periods (12 months billed
 *   monthly, quarterly or yearly; 24 months...): its first and last periods are together one
 *   period (the start cuts the first where the end cuts the last), so the last is billed the full
 *   price minus what the first was. Prorating both by days would count their days over two
 *   different calendar periods (22 days of a 365-day year and 69 of a 366-day one; 14 days of a
 *   28-day February and 14 of a 29-day one), and two halves each rounded up would add a cent: such
 *   a contract now costs exactly its number of periods, whatever the start and the year.
 * A duration that is not a whole number of periods (18 months billed yearly) has no such pair:
 * its last period is prorated by days like the first. A termination cuts a period by days
 * (cutPeriodAt).
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

/**
 * The last day of a contract of `durationMonths` months from `startDate`: the day before its
 * anniversary. When the anniversary day does not exist in that month (a 31st, a 29 February), the
 * term ends on the month's last day: a year from 2028-02-29 ends on 2029-02-28, a month from
 * 2027-01-31 on 2027-02-28 (as the Code civil counts a term in months, art. 641 CPC).
 */
export function contractEndDate(startDate: IsoDate, durationMonths: number): IsoDate {
  if (durationMonths <= 0) return startDate;
  const anniversary = addMonths(startDate, durationMonths);
  return parts(anniversary).d < parts(startDate).d ? anniversary : addDays(anniversary, -1);
}

/** The calendar period (month, quarter, half-year or year) that contains `date`. */
export function calendarPeriodOf(date: IsoDate, frequency: Exclude<Frequency, 'one_off'>): { start: IsoDate; end: IsoDate } {
  const step = MONTHS[frequency];
  const { y, m } = parts(date);
  const start = iso(y, Math.floor((m - 1) / step) * step + 1, 1);
  return { start, end: addDays(addMonths(start, step), -1) };
}

/**
 * The item of a period cut short on `endDate` (a termination inside the period): it now covers
 * `periodStart`..`endDate` and is prorated exactly as a partial first period is at creation
 * (each line's amount excluding VAT x days covered / days in the calendar period, half-up, then
 * its VAT). Null when there is nothing to cut (one-off contracts are not prorated; `endDate` is
 * not inside the period).
 */
export function cutPeriodAt(input: {
  periodStart: IsoDate;
  periodEnd: IsoDate;
  endDate: IsoDate;
  frequency: Frequency;
  lines: readonly ScheduleLine[];
}): { periodEnd: IsoDate; amountCents: number } | null {
  if (input.frequency === 'one_off' || input.endDate < input.periodStart || input.endDate >= input.periodEnd) return null;
  const calendar = calendarPeriodOf(input.periodStart, input.frequency);
  const covered = daysBetweenInclusive(input.periodStart, input.endDate);
  const whole = daysBetweenInclusive(calendar.start, calendar.end);
  return { periodEnd: input.endDate, amountCents: periodAmountCents(input.lines, { num: covered, den: whole }) };
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
  const periods: PlannedPeriod[] = [];
  let cursor = input.startDate;
  while (cursor <= end) {
    const { start: calendarStart, end: calendarEnd } = calendarPeriodOf(cursor, input.frequency);
    // Stryker disable next-line EqualityOperator: when they are equal either one is the end.
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
  const first = periods[0]!;
  const last = periods.at(-1)!;
  if (periods.length > 1 && first.prorated && input.durationMonths % MONTHS[input.frequency] === 0) {
    // A whole number of periods: the first and the last are one period between them.
    // (Also when the last is a whole calendar period: a year from 29 February ends on 28 February.)
    last.amountCents = periodAmountCents(input.lines) - first.amountCents;
    last.prorated = true;
  }
  return periods;
}

/**
 * Where the items a suspension held back go when the contract resumes on `resumedOn`.
 *
 * `earliest` is the first date a debit can be collected from that day: `preNotificationDays`
 * later, a TARGET2 business day, leaving the bank its cut-off (nextCollectionDate). Every item
 * due before it could not be collected on its own due date any more (while suspended, no batch
 * took it, and from the resumption the debtor must be notified first). Those items all move to
 * `dueDate`: the first debit day (the contract's, else the organisation's) whose collection date
 * (that day, or the next TARGET2 business day when it is closed, as for any due date) is on or
 * after `earliest`. So the catch-up is debited on the contract's usual debit day, with that
 * month's own item, as the schedule already does when a partial first period and the next one
 * fall due on the same day; the debtor sees one debit date a month, never a string of dates.
 * (Spreading the held items over several dates would not spread the debits anyway: a batch
 * takes every item due by its collection date.) Their order stays the period order, which
 * breaks ties in a batch. Items due on or after `earliest` keep their dates.
 */
export function catchUpDueDate(input: { resumedOn: IsoDate; debitDay: number; preNotificationDays: number; cutOffBusinessDays: number }): {
  earliest: IsoDate;
  dueDate: IsoDate;
} {
  const earliest = nextCollectionDate(input.resumedOn, { preNotificationDays: input.preNotificationDays, cutOffBusinessDays: input.cutOffBusinessDays });
  let dueDate = dueDateFor(iso(parts(earliest).y, parts(earliest).m, 1), input.debitDay);
  while (addBusinessDays(dueDate, 0, 'target2') < earliest) dueDate = dueDateFor(addDays(dueDate, 1), input.debitDay);
  return { earliest, dueDate };
}

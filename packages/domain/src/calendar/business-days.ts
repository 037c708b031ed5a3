// The business-day calendar of debit dates. Dates of business meaning are calendar dates
// ("2026-12-24"), computed on UTC midnights so no time zone can shift them.

export type IsoDate = string;

const toDate = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);
const toIso = (date: Date): IsoDate => date.toISOString().slice(0, 10);
export const addDays = (iso: IsoDate, days: number): IsoDate => toIso(new Date(toDate(iso).getTime() + days * 86_400_000));
const weekday = (iso: IsoDate) => toDate(iso).getUTCDay(); // 0 Sunday .. 6 Saturday
export const isWeekend = (iso: IsoDate): boolean => weekday(iso) === 0 || weekday(iso) === 6;

/** Easter Sunday (Gregorian computus, the "anonymous" algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface Holiday {
  date: IsoDate;
  name: string;
}

/** The eleven French public holidays (national calendar; Alsace-Moselle's two extra days are not included). */
export function frenchPublicHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  return [
    { date: `${year}-01-01`, name: 'Jour de l’an' },
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    { date: `${year}-05-01`, name: 'Fête du Travail' },
    { date: `${year}-05-08`, name: 'Victoire 1945' },
    { date: addDays(easter, 39), name: 'Ascension' },
    { date: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    { date: `${year}-07-14`, name: 'Fête nationale' },
    { date: `${year}-08-15`, name: 'Assomption' },
    { date: `${year}-11-01`, name: 'Toussaint' },
    { date: `${year}-11-11`, name: 'Armistice 1918' },
    { date: `${year}-12-25`, name: 'Noël' },
  ].sort((x, y) => x.date.localeCompare(y.date));
}

/** Days TARGET2 (the euro settlement system, hence SEPA debits) is closed, besides weekends. */
export function target2ClosingDays(year: number): Holiday[] {
  const easter = easterSunday(year);
  return [
    { date: `${year}-01-01`, name: 'Jour de l’an' },
    { date: addDays(easter, -2), name: 'Vendredi saint' },
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    { date: `${year}-05-01`, name: 'Fête du Travail' },
    { date: `${year}-12-25`, name: 'Noël' },
    { date: `${year}-12-26`, name: 'Lendemain de Noël' },
  ];
}

export type BusinessCalendar = 'france' | 'target2';

const CLOSING_DAYS: Record<BusinessCalendar, (year: number) => Holiday[]> = { france: frenchPublicHolidays, target2: target2ClosingDays };

const closings = new Map<string, Set<IsoDate>>();
function closedOn(calendar: BusinessCalendar, year: number): Set<IsoDate> {
  const key = `${calendar}:${year}`;
  let set = closings.get(key);
  // Stryker disable next-line ConditionalExpression: a cache; recomputing every time gives the same days.
  if (!set) {
    set = new Set(CLOSING_DAYS[calendar](year).map((h) => h.date));
    closings.set(key, set);
  }
  return set;
}

export function isBusinessDay(iso: IsoDate, calendar: BusinessCalendar): boolean {
  return !isWeekend(iso) && !closedOn(calendar, Number(iso.slice(0, 4))).has(iso);
}

/** `n` business days after (n > 0) or before (n < 0) `iso`; n = 0 gives `iso` itself if open, else the next open day. */
export function addBusinessDays(iso: IsoDate, n: number, calendar: BusinessCalendar): IsoDate {
  let date = iso;
  if (n === 0) {
    while (!isBusinessDay(date, calendar)) date = addDays(date, 1);
    return date;
  }
  // Stryker disable next-line EqualityOperator: n is not 0 here (returned above), so n >= 0 is n > 0.
  const step = n > 0 ? 1 : -1;
  for (let left = Math.abs(n); left > 0; ) {
    date = addDays(date, step);
    if (isBusinessDay(date, calendar)) left--;
  }
  return date;
}

export interface CollectionRules {
  /** Calendar days between the pre-notification and the debit (14 by default under SEPA rules). */
  preNotificationDays: number;
  /** TARGET2 business days the bank needs between receiving the file and the collection date. */
  cutOffBusinessDays: number;
}

export const DEFAULT_COLLECTION_RULES: CollectionRules = { preNotificationDays: 14, cutOffBusinessDays: 1 };

/**
 * The earliest collection date for a debit notified on `today`: at least `preNotificationDays`
 * later, a TARGET2 business day, and leaving the bank its cut-off (the file must reach it
 * `cutOffBusinessDays` TARGET2 business days before, and not before today).
 */
export function nextCollectionDate(today: IsoDate, rules: CollectionRules = DEFAULT_COLLECTION_RULES): IsoDate {
  let candidate = addBusinessDays(addDays(today, rules.preNotificationDays), 0, 'target2');
  while (addBusinessDays(candidate, -rules.cutOffBusinessDays, 'target2') < today) {
    candidate = addBusinessDays(candidate, 1, 'target2');
  }
  return candidate;
}

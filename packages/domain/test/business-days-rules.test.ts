import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  DEFAULT_COLLECTION_RULES,
  easterSunday,
  frenchPublicHolidays,
  isBusinessDay,
  isWeekend,
  nextCollectionDate,
  target2ClosingDays,
} from '../src/calendar/business-days.ts';

// The business-day calendar against published dates: Easter over two centuries (dates checked
// against the Gregorian tables), every French holiday and TARGET2 closing day with its name,
// weekends, and the collection-date rule at its edges.

/** Easter Sunday, from published tables. */
const EASTER: Record<number, string> = {
  1900: '1900-04-15', 1954: '1954-04-18', 1961: '1961-04-02', 1981: '1981-04-19', 2000: '2000-04-23', 2008: '2008-03-23', 2011: '2011-04-24',
  2019: '2019-04-21', 2024: '2024-03-31', 2025: '2025-04-20', 2026: '2026-04-05', 2027: '2027-03-28', 2028: '2028-04-16', 2029: '2029-04-01',
  2030: '2030-04-21', 2038: '2038-04-25', 2049: '2049-04-18', 2076: '2076-04-19', 2095: '2095-04-24', 2100: '2100-03-28',
};

describe('Easter and the holidays that follow it', () => {
  it('finds Easter Sunday in every year of the table, always a Sunday between 22 March and 25 April', () => {
    for (const [year, date] of Object.entries(EASTER)) expect(easterSunday(Number(year)), year).toBe(date);
    for (let year = 1900; year <= 2199; year++) {
      const easter = easterSunday(year);
      expect(new Date(`${easter}T00:00:00Z`).getUTCDay(), easter).toBe(0);
      expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25', easter).toBe(true);
    }
  });

  it('lists the eleven French public holidays of a year in date order, with their names', () => {
    expect(frenchPublicHolidays(2027)).toEqual([
      { date: '2027-01-01', name: 'Jour de l’an' },
      { date: '2027-03-29', name: 'Lundi de Pâques' },
      { date: '2027-05-01', name: 'Fête du Travail' },
      { date: '2027-05-06', name: 'Ascension' },
      { date: '2027-05-08', name: 'Victoire 1945' },
      { date: '2027-05-17', name: 'Lundi de Pentecôte' },
      { date: '2027-07-14', name: 'Fête nationale' },
      { date: '2027-08-15', name: 'Assomption' },
      { date: '2027-11-01', name: 'Toussaint' },
      { date: '2027-11-11', name: 'Armistice 1918' },
      { date: '2027-12-25', name: 'Noël' },
    ]);
  });

  it('lists the six TARGET2 closing days with their names', () => {
    expect(target2ClosingDays(2027)).toEqual([
      { date: '2027-01-01', name: 'Jour de l’an' },
      { date: '2027-03-26', name: 'Vendredi saint' },
      { date: '2027-03-29', name: 'Lundi de Pâques' },
      { date: '2027-05-01', name: 'Fête du Travail' },
      { date: '2027-12-25', name: 'Noël' },
      { date: '2027-12-26', name: 'Lendemain de Noël' },
    ]);
  });
});

describe('business days', () => {
  it('knows weekends', () => {
    expect(['2026-12-05', '2026-12-06', '2026-12-07', '2026-12-11'].map(isWeekend)).toEqual([true, true, false, false]);
  });

  it('closes on each calendar\'s own holidays and on weekends, in every year', () => {
    for (const year of [2026, 2027, 2030]) {
      for (const { date } of target2ClosingDays(year)) expect(isBusinessDay(date, 'target2'), date).toBe(false);
      for (const { date } of frenchPublicHolidays(year)) expect(isBusinessDay(date, 'france'), date).toBe(false);
    }
    expect(isBusinessDay('2027-05-06', 'target2')).toBe(true); // Ascension: French holiday, TARGET2 open
    expect(isBusinessDay('2027-03-26', 'france')).toBe(true); // Good Friday: TARGET2 closed, France open
    expect(isBusinessDay('2027-12-27', 'target2')).toBe(true);
    expect(isBusinessDay('2026-12-06', 'target2')).toBe(false); // Sunday
    expect(isBusinessDay('2026-12-07', 'france')).toBe(true);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29'); // the day clocks change in Paris: no shift
  });

  it('counts business days one at a time, forward and back, from an open or closed day', () => {
    expect(addBusinessDays('2026-12-07', 1, 'target2')).toBe('2026-12-08');
    expect(addBusinessDays('2026-12-07', 5, 'target2')).toBe('2026-12-14');
    expect(addBusinessDays('2026-12-07', -1, 'target2')).toBe('2026-12-04');
    expect(addBusinessDays('2026-12-07', -5, 'target2')).toBe('2026-11-30');
    expect(addBusinessDays('2026-12-07', 0, 'target2')).toBe('2026-12-07');
    expect(addBusinessDays('2026-12-05', 0, 'target2')).toBe('2026-12-07'); // a Saturday: the next open day
    expect(addBusinessDays('2026-12-05', 1, 'target2')).toBe('2026-12-07');
    expect(addBusinessDays('2026-12-05', -1, 'target2')).toBe('2026-12-04');
    expect(addBusinessDays('2026-12-31', 1, 'target2')).toBe('2027-01-04'); // over New Year and a weekend
    expect(addBusinessDays('2027-01-04', -1, 'target2')).toBe('2026-12-31');
  });
});

describe('the next collection date', () => {
  it('waits the notice, then the next TARGET2 day, and leaves the bank its cut-off', () => {
    expect(DEFAULT_COLLECTION_RULES).toEqual({ preNotificationDays: 14, cutOffBusinessDays: 1 });
    expect(nextCollectionDate('2026-12-07')).toBe('2026-12-21');
    // Notice 0 on a Friday: not that day (the file must reach the bank one TARGET2 day before), the Monday.
    expect(nextCollectionDate('2026-12-04', { preNotificationDays: 0, cutOffBusinessDays: 1 })).toBe('2026-12-07');
    expect(nextCollectionDate('2026-12-07', { preNotificationDays: 0, cutOffBusinessDays: 1 })).toBe('2026-12-08');
    expect(nextCollectionDate('2026-12-07', { preNotificationDays: 0, cutOffBusinessDays: 2 })).toBe('2026-12-09');
    expect(nextCollectionDate('2026-12-07', { preNotificationDays: 0, cutOffBusinessDays: 0 })).toBe('2026-12-07');
    expect(nextCollectionDate('2026-12-05', { preNotificationDays: 0, cutOffBusinessDays: 0 })).toBe('2026-12-07');
    expect(nextCollectionDate('2026-12-05', { preNotificationDays: 0, cutOffBusinessDays: 1 })).toBe('2026-12-08');
    expect(nextCollectionDate('2026-12-10', { preNotificationDays: 14, cutOffBusinessDays: 1 })).toBe('2026-12-24');
    expect(nextCollectionDate('2026-12-11', { preNotificationDays: 14, cutOffBusinessDays: 1 })).toBe('2026-12-28');
  });
});

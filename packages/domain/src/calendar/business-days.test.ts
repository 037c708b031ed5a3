import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  easterSunday,
  frenchPublicHolidays,
  isBusinessDay,
  nextCollectionDate,
  target2ClosingDays,
} from './business-days.ts';

describe('the business-day calendar', () => {
  it('knows Easter', () => {
    expect(['2024', '2025', '2026', '2027', '2038'].map((y) => easterSunday(Number(y)))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2038-04-25',
    ]);
  });

  it('lists the French public holidays, movable ones included', () => {
    const days = frenchPublicHolidays(2026).map((h) => h.date);
    expect(days).toHaveLength(11);
    expect(days).toEqual(expect.arrayContaining(['2026-04-06', '2026-05-14', '2026-05-25', '2026-07-14', '2026-11-11']));
  });

  it('knows the TARGET2 closing days', () => {
    expect(target2ClosingDays(2026).map((h) => h.date)).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25', '2026-12-26']);
    expect(isBusinessDay('2026-05-08', 'target2')).toBe(true); // a French holiday, TARGET2 open
    expect(isBusinessDay('2026-05-08', 'france')).toBe(false);
    expect(isBusinessDay('2026-04-03', 'target2')).toBe(false); // Good Friday
    expect(isBusinessDay('2026-11-28', 'france')).toBe(false); // a Saturday
  });

  it('adds and subtracts business days across weekends and holidays', () => {
    expect(addBusinessDays('2026-12-24', 1, 'target2')).toBe('2026-12-28'); // over Christmas, St Stephen, Sunday
    expect(addBusinessDays('2026-04-07', -1, 'target2')).toBe('2026-04-02'); // back over Easter Monday and Good Friday
    expect(addBusinessDays('2026-05-13', 1, 'france')).toBe('2026-05-15'); // over Ascension
    expect(addBusinessDays('2026-11-28', 0, 'france')).toBe('2026-11-30');
  });

  it('finds the next collection date after pre-notification and cut-off', () => {
    expect(nextCollectionDate('2026-11-24')).toBe('2026-12-08'); // +14 days is a Tuesday, open
    expect(nextCollectionDate('2026-12-11')).toBe('2026-12-28'); // +14 = Christmas Day -> 26th closed, 27th Sunday
    expect(nextCollectionDate('2026-11-24', { preNotificationDays: 0, cutOffBusinessDays: 1 })).toBe('2026-11-25');
  });
});

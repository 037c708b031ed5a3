import { z } from 'zod';
import type { TenantDeps } from '../shared/context.ts';
import { ZDay } from '../shared/input-rules.ts';
import { DEFAULT_COLLECTION_RULES, frenchPublicHolidays, nextCollectionDate, target2ClosingDays } from './business-days.ts';
import { parisDay } from '../shared/paris-day.ts';

export const ZHolidaysInput = z.strictObject({ year: z.number().int().min(2000).max(2100) });
export type THolidaysInput = z.infer<typeof ZHolidaysInput>;

export const ZNextCollectionDateInput = z.strictObject({
  from: ZDay('Date invalide').optional(),
  preNotificationDays: z.number().int().min(0).max(60).optional(),
});
export type TNextCollectionDateInput = z.infer<typeof ZNextCollectionDateInput>;


/** French public holidays and TARGET2 closing days of a year, for the calendars of the web app. */
export function listHolidays(_deps: TenantDeps, input: THolidaysInput) {
  return { france: frenchPublicHolidays(input.year), target2: target2ClosingDays(input.year) };
}

/** The earliest collection date from `from` (today in Paris by default). */
export function getNextCollectionDate({ now }: TenantDeps, input: TNextCollectionDateInput) {
  const from = input.from ?? parisDay(now);
  const rules = { ...DEFAULT_COLLECTION_RULES, ...(input.preNotificationDays === undefined ? {} : { preNotificationDays: input.preNotificationDays }) };
  return { from, collectionDate: nextCollectionDate(from, rules), rules };
}

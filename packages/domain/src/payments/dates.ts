import { parisDay } from '../shared/paris-day.ts';

/** Today's calendar date in Paris (business dates are Paris dates). */
export const parisToday = (now: Date): string => parisDay(now);
/** A `@db.Date` column as its ISO calendar date. */
export const isoOf = (date: Date): string => date.toISOString().slice(0, 10);
/** An ISO calendar date as the value a `@db.Date` column takes. */
export const dateOf = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);

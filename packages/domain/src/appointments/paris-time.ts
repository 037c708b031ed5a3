// Appointments are typed and shown in Paris wall-clock time ("2026-12-03T14:30") and stored as
// instants. Paris shifts by one hour twice a year: a wall-clock time can be missing (spring) or
// happen twice (autumn), so the conversion says which.

export const PARIS_TIME_ZONE = 'Europe/Paris';

/** A Paris wall-clock date-time to the minute: "2026-12-03T14:30". */
export type ParisLocal = string;

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Paris wall-clock minute of an instant. */
export function toParisLocal(instant: Date): ParisLocal {
  const part: Record<string, string> = {};
  for (const p of PARTS.formatToParts(instant)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
}

const asUtcMs = (local: ParisLocal) => Date.parse(`${local}:00Z`);
const offsetAt = (ms: number) => asUtcMs(toParisLocal(new Date(ms))) - Math.floor(ms / 60_000) * 60_000;

/**
 * The instant of a Paris wall-clock time, or null when that time does not exist (the hour
 * skipped in spring). A time that happens twice (the hour repeated in autumn) is its first
 * occurrence, summer time.
 */
export function parisLocalToInstant(local: ParisLocal): Date | null {
  const guess = asUtcMs(local);
  if (Number.isNaN(guess)) return null;
  // The offsets in force a day before and a day after cover every candidate.
  const offsets = new Set([offsetAt(guess - 86_400_000), offsetAt(guess + 86_400_000)]);
  const matches = [...offsets]
    .map((offset) => guess - offset)
    .filter((ms) => toParisLocal(new Date(ms)) === local)
    .sort((a, b) => a - b);
  return matches[0] === undefined ? null : new Date(matches[0]);
}

/** Midnight in Paris at the start of a calendar day ("2026-10-25"). */
export function parisMidnight(day: string): Date {
  const instant = parisLocalToInstant(`${day}T00:00`);
  if (!instant) throw new Error(`no midnight in Paris on ${day}`); // never happens: Paris shifts at 2 or 3 a.m.
  return instant;
}

import { TENANT_TIME_ZONE } from './job-deps.ts';

/**
 * When a recurring job runs next. Rules, in the tenant's time zone (Europe/Paris):
 * - `hourly`: at the top of every hour;
 * - `daily HH:MM`: every day at that wall-clock time;
 * - `monthly D HH:MM`: on day D (1-28) of every month at that time.
 * A wall time that does not exist (the spring-forward hour) runs the same length after the
 * change (02:30 becomes 03:30); one that happens twice (autumn) runs at the first.
 */
export type RecurrenceRule = `hourly` | `daily ${string}` | `monthly ${string}`;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface Parsed {
  every: 'hour' | 'day' | 'month';
  day?: number;
  hour: number;
  minute: number;
}

export function parseRecurrence(rule: string): Parsed {
  if (rule === 'hourly') return { every: 'hour', hour: 0, minute: 0 };
  const daily = /^daily (\S+)$/.exec(rule);
  const monthly = /^monthly (\d{1,2}) (\S+)$/.exec(rule);
  const time = HHMM.exec(daily?.[1] ?? monthly?.[2] ?? '');
  if (time && daily) return { every: 'day', hour: Number(time[1]), minute: Number(time[2]) };
  if (time && monthly && Number(monthly[1]) >= 1 && Number(monthly[1]) <= 28) {
    return { every: 'month', day: Number(monthly[1]), hour: Number(time[1]), minute: Number(time[2]) };
  }
  throw new Error(`unknown recurrence rule: ${rule}`);
}

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TENANT_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall clock in Paris at an instant, as if it were UTC (ms). */
function wallClock(instant: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
}

/** The instant of a Paris wall time (year, month from 0, day, hour, minute). */
export function parisInstant(year: number, month: number, day: number, hour: number, minute: number): Date {
  const wanted = Date.UTC(year, month, day, hour, minute);
  // The offsets in force half a day either side: the only two it can be.
  const before = wallClock(wanted - 43_200_000) - (wanted - 43_200_000);
  const after = wallClock(wanted + 43_200_000) - (wanted + 43_200_000);
  const candidates = [wanted - before, wanted - after].filter((t) => wallClock(t) === wanted).sort((a, b) => a - b);
  // None: a wall time in the spring gap; shift it by the gap (the offset before the change).
  return new Date(candidates[0] ?? wanted - before);
}

/** The first run of `rule` strictly after `after`. */
export function nextRun(rule: string, after: Date): Date {
  const parsed = parseRecurrence(rule);
  const t = after.getTime();
  if (parsed.every === 'hour') return new Date(Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000);
  const wall = new Date(wallClock(t));
  const y = wall.getUTCFullYear();
  const m = wall.getUTCMonth();
  const d = wall.getUTCDate();
  if (parsed.every === 'day') {
    for (let offset = 0; offset <= 2; offset++) {
      const candidate = parisInstant(y, m, d + offset, parsed.hour, parsed.minute);
      if (candidate.getTime() > t) return candidate;
    }
  } else {
    for (let offset = 0; offset <= 2; offset++) {
      const candidate = parisInstant(y, m + offset, parsed.day!, parsed.hour, parsed.minute);
      if (candidate.getTime() > t) return candidate;
    }
  }
  throw new Error(`no next run for ${rule}`); // unreachable: a later day always exists
}

import type { Db } from '@crm/db';
import { DomainError } from '../shared/errors.ts';

/** How many attempts a key may make in a window, and how long it waits once past the limit. */
export interface ThrottleRule {
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

export interface Reservation {
  allowed: boolean;
  /** Seconds until the key may try again (0 when allowed). */
  retryAfter: number;
}

/**
 * Counts an attempt for `key` BEFORE the work it guards (a password check, a sign-up), in one
 * statement: the row lock of `INSERT ... ON CONFLICT DO UPDATE` serialises concurrent callers,
 * so of N parallel attempts exactly `limit` are allowed, whether they come as N requests or as
 * N calls of one request. Checking first and counting after the work (what this replaced) let
 * every parallel attempt through the check. The first attempt past the limit blocks the key for
 * `blockSeconds`; a new window starts once both the window and the block are over.
 */
export async function reserveAttempt(db: Db, key: string, rule: ThrottleRule, now: Date): Promise<Reservation> {
  const windowStartsAfter = new Date(now.getTime() - rule.windowSeconds * 1000);
  const blockUntil = new Date(now.getTime() + rule.blockSeconds * 1000);
  const [row] = await db.$queryRaw<{ failures: number; blocked_until: Date | null }[]>`
    INSERT INTO login_throttles AS t (key, failures, window_start, blocked_until)
    VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start <= ${windowStartsAfter} AND (t.blocked_until IS NULL OR t.blocked_until <= ${now})
        THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start <= ${windowStartsAfter} AND (t.blocked_until IS NULL OR t.blocked_until <= ${now})
        THEN ${now} ELSE t.window_start END,
      blocked_until = CASE
        WHEN t.window_start <= ${windowStartsAfter} AND (t.blocked_until IS NULL OR t.blocked_until <= ${now}) THEN NULL
        WHEN t.failures + 1 > ${rule.limit} AND (t.blocked_until IS NULL OR t.blocked_until <= ${now}) THEN ${blockUntil}
        ELSE t.blocked_until END
    RETURNING failures, blocked_until`;
  if (!row) throw new Error('throttle upsert returned no row');
  if (row.failures <= rule.limit) return { allowed: true, retryAfter: 0 };
  const until = row.blocked_until ?? blockUntil;
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) };
}

/** Forgets every attempt of `key` (an account whose owner just proved the password). */
export async function forgetAttempts(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}

/** Gives back one reserved attempt of `key` (a successful login does not count against its IP). */
export async function releaseAttempt(db: Db, key: string): Promise<void> {
  await db.$executeRaw`UPDATE login_throttles SET failures = failures - 1 WHERE key = ${key} AND failures > 0`;
}

/** The refusal, with the seconds to wait in `retryAfter` (the API sends it as `data.retryAfter`). */
export function tooManyAttempts(what: string, retryAfter: number): DomainError {
  return new DomainError('TOO_MANY_REQUESTS', `Trop de tentatives de ${what}. Réessayez dans ${Math.ceil(retryAfter / 60)} min.`, {
    retryAfter,
  });
}

import type { Db } from '@crm/db';
import { DomainError } from '../shared/errors.ts';

/**
 * Failed logins are counted per account and per IP in PostgreSQL (shared by every API
 * replica). Unknown emails are counted like known ones, so the throttle reveals nothing.
 */
export const THROTTLE = {
  windowSeconds: 15 * 60,
  blockSeconds: 15 * 60,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
} as const;

const keys = (email: string, ip: string | undefined) => ({
  account: `email:${email}`,
  ip: ip ? `ip:${ip}` : null,
});

export async function assertNotThrottled(db: Db, email: string, ip: string | undefined, now: Date): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  const blocked = await db.loginThrottle.findFirst({
    where: { key: { in: ipKey ? [account, ipKey] : [account] }, blockedUntil: { gt: now } },
    orderBy: { blockedUntil: 'desc' },
    select: { blockedUntil: true },
  });
  if (blocked?.blockedUntil) {
    const retryAfter = Math.ceil((blocked.blockedUntil.getTime() - now.getTime()) / 1000);
    throw new DomainError(
      'TOO_MANY_REQUESTS',
      `Trop de tentatives de connexion. Réessayez dans ${Math.ceil(retryAfter / 60)} min.`,
      { retryAfter },
    );
  }
}

export async function recordLoginFailure(db: Db, email: string, ip: string | undefined, now: Date): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  await bump(db, account, THROTTLE.maxFailuresPerAccount, now);
  if (ipKey) await bump(db, ipKey, THROTTLE.maxFailuresPerIp, now);
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keys(email, undefined).account } });
}

// One atomic upsert: a new window starts when the old one is over; reaching the limit blocks.
async function bump(db: Db, key: string, limit: number, now: Date): Promise<void> {
  const windowStartsAfter = new Date(now.getTime() - THROTTLE.windowSeconds * 1000);
  const blockUntil = new Date(now.getTime() + THROTTLE.blockSeconds * 1000);
  await db.$executeRaw`
    INSERT INTO login_throttles (key, failures, window_start, blocked_until)
    VALUES (${key}, 1, ${now}, ${limit <= 1 ? blockUntil : null})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttles.window_start < ${windowStartsAfter} THEN 1 ELSE login_throttles.failures + 1 END,
      window_start = CASE WHEN login_throttles.window_start < ${windowStartsAfter} THEN ${now} ELSE login_throttles.window_start END,
      blocked_until = CASE
        WHEN login_throttles.window_start >= ${windowStartsAfter} AND login_throttles.failures + 1 >= ${limit} THEN ${blockUntil}
        ELSE login_throttles.blocked_until END`;
}

import type { Db } from '@crm/db';
import { forgetAttempts, releaseAttempt, reserveAttempt, tooManyAttempts, type ThrottleRule } from './throttle.ts';

/**
 * Password checks are counted per account and per IP in PostgreSQL (shared by every API
 * replica), reserved before the password is verified. Unknown emails are counted like known
 * ones, so the throttle reveals nothing.
 */
export const THROTTLE = {
  windowSeconds: 15 * 60,
  blockSeconds: 15 * 60,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
} as const;

const ACCOUNT: ThrottleRule = { limit: THROTTLE.maxFailuresPerAccount, windowSeconds: THROTTLE.windowSeconds, blockSeconds: THROTTLE.blockSeconds };
const IP: ThrottleRule = { limit: THROTTLE.maxFailuresPerIp, windowSeconds: THROTTLE.windowSeconds, blockSeconds: THROTTLE.blockSeconds };

const keys = (email: string, ip: string | undefined) => ({ account: `email:${email}`, ip: ip ? `ip:${ip}` : null });

/**
 * Reserves one password check for this account and this IP, or throws TOO_MANY_REQUESTS.
 * Call it before verifying; a wrong password leaves the reservation counted as a failure.
 */
export async function reservePasswordCheck(db: Db, email: string, ip: string | undefined, now: Date): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  const reservations = [await reserveAttempt(db, account, ACCOUNT, now)];
  if (ipKey) reservations.push(await reserveAttempt(db, ipKey, IP, now));
  const refused = reservations.filter((r) => !r.allowed);
  if (refused.length > 0) throw tooManyAttempts('connexion', Math.max(...refused.map((r) => r.retryAfter)));
}

/** The password was right: the account's failures are forgiven and the IP gets its attempt back. */
export async function passwordCheckSucceeded(db: Db, email: string, ip: string | undefined): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  await forgetAttempts(db, account);
  if (ipKey) await releaseAttempt(db, ipKey);
}

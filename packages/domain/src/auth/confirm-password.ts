import type { AuthDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import type { TConfirmPasswordInput } from './auth.schema.ts';
import { verifyPassword } from './passwords.ts';
import { requireLiveSession } from './sessions.ts';
import { forgetAttempts, reserveAttempt, tooManyAttempts, type ThrottleRule } from './throttle.ts';
import type { AccessClaims } from './tokens.ts';

/** Wrong passwords per account: a client left alone with the tablet cannot guess the rep's password. */
export const CONFIRM_PASSWORD_THROTTLE: ThrottleRule = { limit: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/**
 * The signed-in user proves again it is them (leaving the hand-over mode of a signature hands the
 * tablet back to the rep): their password, throttled per account, checked against a live
 * session. Opens nothing and changes nothing; a wrong password is a field error.
 */
export async function confirmPassword(deps: AuthDeps, claims: AccessClaims, input: TConfirmPasswordInput): Promise<{ ok: true }> {
  const now = deps.clock();
  await requireLiveSession(deps.db, claims.userId, claims.sessionId, now);
  const throttleKey = `confirm-password-user:${claims.userId}`;
  const reservation = await reserveAttempt(deps.db, throttleKey, CONFIRM_PASSWORD_THROTTLE, now);
  if (!reservation.allowed) throw tooManyAttempts('mot de passe', reservation.retryAfter);
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: claims.userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.password))) throw badRequest('Mot de passe incorrect', { password: ['Mot de passe incorrect'] });
  await forgetAttempts(deps.db, throttleKey);
  return { ok: true };
}

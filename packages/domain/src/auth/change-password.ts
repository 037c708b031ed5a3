import { newId } from '@crm/db';
import { passwordChangedNoticeMail } from '../mail/account-mails.ts';
import { queueSystemMail } from '../mail/system-mail.ts';
import type { AuthDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import type { TChangePasswordInput } from './auth.schema.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { requireLiveSession } from './sessions.ts';
import { forgetAttempts, reserveAttempt, tooManyAttempts, type ThrottleRule } from './throttle.ts';
import type { AccessClaims } from './tokens.ts';

/** Wrong current passwords per account: a stolen access token cannot guess the password. */
export const CHANGE_PASSWORD_THROTTLE: ThrottleRule = { limit: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/**
 * Changes the signed-in user's password: the current one is required, every other session of
 * the user is revoked (this one stays), and the owner gets a notice mail.
 */
export async function changePassword(deps: AuthDeps, claims: AccessClaims, input: TChangePasswordInput): Promise<{ ok: true }> {
  const now = deps.clock();
  await requireLiveSession(deps.db, claims.userId, claims.sessionId, now);
  const throttleKey = `change-password-user:${claims.userId}`;
  const reservation = await reserveAttempt(deps.db, throttleKey, CHANGE_PASSWORD_THROTTLE, now);
  if (!reservation.allowed) throw tooManyAttempts('changement de mot de passe', reservation.retryAfter);
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: claims.userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw badRequest('Mot de passe actuel incorrect', { currentPassword: ['Mot de passe actuel incorrect'] });
  }
  await forgetAttempts(deps.db, throttleKey);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: claims.userId }, data: { passwordHash }, select: { id: true, name: true, email: true } });
    await tx.refreshTokenFamily.updateMany({
      where: { userId: claims.userId, revokedAt: null, id: { not: claims.sessionId } },
      data: { revokedAt: now, revokedReason: 'password_change' },
    });
    await queueSystemMail(tx, passwordChangedNoticeMail({ userId: updated.id, email: updated.email, name: updated.name, appUrl: deps.auth.appUrl, how: 'change', eventId: newId(), at: now }));
  });
  return { ok: true };
}

import { newId } from '@crm/db';
import { passwordChangedNoticeMail, passwordResetMail } from '../mail/account-mails.ts';
import { queueSystemMail } from '../mail/system-mail.ts';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { DomainError } from '../shared/errors.ts';
import type { TRequestPasswordResetInput, TResetPasswordInput } from './auth.schema.ts';
import { hashPassword } from './passwords.ts';
import { reserveAttempt, tooManyAttempts, type ThrottleRule } from './throttle.ts';
import { hashSecret, newSecret } from './tokens.ts';

/** Reset requests per IP, as for sign-up: enough for an office, too few to probe or to flood. */
export const PASSWORD_RESET_THROTTLE: ThrottleRule = { limit: 10, windowSeconds: 60 * 60, blockSeconds: 60 * 60 };
/** Live links per account at most: more requests send nothing more (someone else's address cannot be flooded). */
const LIVE_RESETS_PER_USER = 3;
const RESET_TTL_MS = 60 * 60 * 1000;
const GONE = 'Ce lien est invalide, expiré ou a déjà servi. Demandez-en un nouveau.';

/**
 * Asks for a password reset by e-mail. Answers the same whatever the address (no account
 * oracle): an account gets a one-time link valid an hour (only its sha256 is stored), an unknown
 * address gets nothing. Throttled per IP like sign-up, and per account by its live links.
 */
export async function requestPasswordReset(deps: AuthDeps, input: TRequestPasswordResetInput, client: ClientInfo): Promise<{ ok: true }> {
  const now = deps.clock();
  if (client.ip) {
    const reservation = await reserveAttempt(deps.db, `password-reset-ip:${client.ip}`, PASSWORD_RESET_THROTTLE, now);
    if (!reservation.allowed) throw tooManyAttempts('réinitialisation de mot de passe', reservation.retryAfter);
  }
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  await deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, name: true, email: true } });
    if (!user) return;
    const live = await tx.passwordResetRequest.count({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } } });
    if (live >= LIVE_RESETS_PER_USER) return;
    const request = await tx.passwordResetRequest.create({
      data: { userId: user.id, tokenHash: hashSecret(token), ip: client.ip ?? null, expiresAt },
      select: { id: true },
    });
    await queueSystemMail(tx, passwordResetMail({ requestId: request.id, userId: user.id, email: user.email, name: user.name, appUrl: deps.auth.appUrl, token, expiresAt }));
  });
  return { ok: true };
}

/**
 * Follows a reset link: the new password is set, the link and the account's other links stop
 * working, every session of the user is revoked (whoever had the old password is out), and the
 * owner gets a notice. Opens no session: the user logs in with the new password.
 */
export async function resetPassword(deps: AuthDeps, input: TResetPasswordInput): Promise<{ ok: true }> {
  const now = deps.clock();
  const passwordHash = await hashPassword(input.password); // slow on purpose: before the transaction
  const done = await deps.db.$transaction(async (tx) => {
    const request = await tx.passwordResetRequest.findUnique({ where: { tokenHash: hashSecret(input.token) } });
    if (!request || request.usedAt || request.expiresAt <= now) return false;
    const claimed = await tx.passwordResetRequest.updateMany({ where: { id: request.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) return false;
    await tx.passwordResetRequest.updateMany({ where: { userId: request.userId, usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.update({ where: { id: request.userId }, data: { passwordHash }, select: { id: true, name: true, email: true } });
    await tx.refreshTokenFamily.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now, revokedReason: 'password_reset' } });
    await queueSystemMail(tx, passwordChangedNoticeMail({ userId: user.id, email: user.email, name: user.name, appUrl: deps.auth.appUrl, how: 'reset', eventId: newId(), at: now }));
    return true;
  });
  if (!done) throw new DomainError('NOT_FOUND', GONE);
  return { ok: true };
}

import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { emailVerificationMail, signUpAttemptNoticeMail } from '../mail/account-mails.ts';
import { queueSystemMail } from '../mail/system-mail.ts';
import type { TSignUpInput } from './auth.schema.ts';
import { hashPassword } from './passwords.ts';
import { reserveAttempt, tooManyAttempts, type ThrottleRule } from './throttle.ts';
import { hashSecret, newSecret } from './tokens.ts';

/** Sign-ups per IP: enough for an office behind one address, too few to probe or to flood. */
export const SIGN_UP_THROTTLE: ThrottleRule = { limit: 10, windowSeconds: 60 * 60, blockSeconds: 60 * 60 };

/** What every sign-up answers, whatever the address: only its mailbox learns what happened. */
export interface SignUpReceipt {
  ok: true;
}

/**
 * Asks for an account. Nothing is created yet: a new address gets a link (verify-email.ts
 * creates the account when it is followed); an address that has an account gets a notice
 * instead. Both paths hash the password and write in one transaction, and answer the same, so
 * neither the answer nor its time tells whether the address has an account.
 */
export async function signUp(deps: AuthDeps, input: TSignUpInput, client: ClientInfo): Promise<SignUpReceipt> {
  const now = deps.clock();
  if (client.ip) {
    const reservation = await reserveAttempt(deps.db, `sign-up-ip:${client.ip}`, SIGN_UP_THROTTLE, now);
    if (!reservation.allowed) throw tooManyAttempts('création de compte', reservation.retryAfter);
  }
  const passwordHash = await hashPassword(input.password); // slow on purpose: before the transaction
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + deps.auth.emailVerificationTtlHours * 3_600_000);
  const { appUrl } = deps.auth;
  await deps.db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, name: true } });
    // Both paths write the request (for a known address: recorded as spent, its link never sent,
    // no password kept) and one mail, so they cost the same statements.
    const request = await tx.signUpRequest.create({
      data: {
        email: input.email,
        name: input.name,
        organisationName: input.organisationName,
        passwordHash: existing ? '' : passwordHash,
        tokenHash: hashSecret(token),
        ip: client.ip ?? null,
        expiresAt,
        usedAt: existing ? now : null,
      },
      select: { id: true },
    });
    await queueSystemMail(
      tx,
      existing
        ? signUpAttemptNoticeMail({ userId: existing.id, email: input.email, name: existing.name, appUrl, now })
        : emailVerificationMail({ requestId: request.id, email: input.email, name: input.name, organisationName: input.organisationName, appUrl, token, expiresAt }),
    );
  });
  return { ok: true };
}

import { describe, expect, it } from 'vitest';
import { changePassword, DomainError, verifyAccessToken, logIn, PASSWORD_RESET_THROTTLE, refreshSession, requestPasswordReset, resetPassword } from '../src/index.ts';
import { mailedToken, newTenant, TEST_APP_URL, testAuthDeps, uniqueEmail, uniqueIp } from './harness.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

describe('password reset', () => {
  it('mails a one-time link (only its hash stored) to an account and nothing to an unknown address, answering the same', async () => {
    const deps = testAuthDeps();
    const { email } = await newTenant(deps);
    const nobody = uniqueEmail('nobody');
    expect(await requestPasswordReset(deps, { email }, { ip: uniqueIp() })).toEqual({ ok: true });
    expect(await requestPasswordReset(deps, { email: nobody }, { ip: uniqueIp() })).toEqual({ ok: true });
    expect(await deps.db.systemMail.count({ where: { recipient: nobody } })).toBe(0);
    const mail = await deps.db.systemMail.findFirstOrThrow({ where: { recipient: email, template: 'password-reset' } });
    expect(mail.link).toMatch(new RegExp(`^${TEST_APP_URL}/reinitialiser-mot-de-passe#[\\w-]{43}$`));
    const token = mail.link!.split('#')[1]!;
    expect(await deps.db.passwordResetRequest.count({ where: { tokenHash: token } })).toBe(0);
  });

  it('sets the new password once, revokes every session, and notifies the owner', async () => {
    const deps = testAuthDeps();
    const { email, password, session } = await newTenant(deps);
    await requestPasswordReset(deps, { email }, { ip: uniqueIp() });
    const token = await mailedToken(deps.db, email, 'password-reset');
    expect(await resetPassword(deps, { token, password: 'a brand new passphrase' })).toEqual({ ok: true });
    expect(await codeOf(resetPassword(deps, { token, password: 'another new passphrase' }))).toMatch(/^NOT_FOUND: Ce lien est invalide/);
    expect(await codeOf(refreshSession(deps, session.refresh.token))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(logIn(deps, { email, password }, { ip: uniqueIp() }))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(logIn(deps, { email, password: 'a brand new passphrase' }, { ip: uniqueIp() }))).toBe('OK');
    expect(await deps.db.systemMail.count({ where: { recipient: email, template: 'password-changed-notice' } })).toBe(1);
  });

  it('refuses an expired link, and caps live links per account', async () => {
    const deps = testAuthDeps();
    const { email } = await newTenant(deps);
    for (let i = 0; i < 5; i++) await requestPasswordReset(deps, { email }, { ip: uniqueIp() });
    expect(await deps.db.systemMail.count({ where: { recipient: email, template: 'password-reset' } })).toBe(3);
    const token = await mailedToken(deps.db, email, 'password-reset');
    const later = testAuthDeps(() => new Date(Date.now() + 61 * 60_000));
    expect(await codeOf(resetPassword(later, { token, password: 'a brand new passphrase' }))).toMatch(/^NOT_FOUND/);
  });

  it('throttles requests per IP like sign-up', async () => {
    const deps = testAuthDeps();
    const ip = uniqueIp();
    for (let i = 0; i < PASSWORD_RESET_THROTTLE.limit; i++) expect(await codeOf(requestPasswordReset(deps, { email: uniqueEmail('r') }, { ip }))).toBe('OK');
    expect(await codeOf(requestPasswordReset(deps, { email: uniqueEmail('r') }, { ip }))).toMatch(/^TOO_MANY_REQUESTS/);
  });
});

describe('password change', () => {
  it('needs the current password, keeps this session, revokes the others, and mails a notice', async () => {
    const deps = testAuthDeps();
    const { email, password, session, userId } = await newTenant(deps);
    const other = await logIn(deps, { email, password }, { ip: uniqueIp() });
    const claims = await verifyAccessToken(deps.auth, session.accessToken, new Date());
    expect(claims.userId).toBe(userId);
    const wrong = await changePassword(deps, claims, { currentPassword: 'not the password', newPassword: 'a brand new passphrase' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DomainError);
    expect((wrong as DomainError).fieldErrors).toEqual({ currentPassword: ['Mot de passe actuel incorrect'] });
    expect(await changePassword(deps, claims, { currentPassword: password, newPassword: 'a brand new passphrase' })).toEqual({ ok: true });
    expect(await codeOf(refreshSession(deps, other.refresh.token))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(refreshSession(deps, session.refresh.token))).toBe('OK');
    expect(await codeOf(logIn(deps, { email, password: 'a brand new passphrase' }, { ip: uniqueIp() }))).toBe('OK');
    const notice = await deps.db.systemMail.findFirstOrThrow({ where: { recipient: email, template: 'password-changed-notice' } });
    expect(notice.textBody).toContain('Vos autres sessions ont été fermées.');
  });
});

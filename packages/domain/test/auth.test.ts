import { withSystem, withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  getMe,
  logIn,
  logOut,
  refreshSession,
  SIGN_UP_THROTTLE,
  signUp,
  switchOrganisation,
  THROTTLE,
  verifyAccessToken,
  verifyEmail,
} from '../src/index.ts';
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

describe('sign-up', () => {
  it('creates nothing but a link mailed to the address; following it creates the account and opens a session', async () => {
    const deps = testAuthDeps();
    const email = uniqueEmail('new');
    const password = 'correct horse battery staple';
    const client = { ip: uniqueIp() };
    expect(await signUp(deps, { name: 'Léa Martin', email, password, organisationName: 'Assurances Dupont' }, client)).toEqual({ ok: true });
    expect(await deps.db.user.count({ where: { email } })).toBe(0);
    const mail = await deps.db.systemMail.findFirstOrThrow({ where: { recipient: email } });
    expect(mail).toMatchObject({ template: 'email-verification', status: 'queued', userId: null });
    expect(mail.link).toMatch(new RegExp(`^${TEST_APP_URL}/verifier-email#[\\w-]{43}$`));
    expect(mail.textBody).toContain(mail.link);
    // Only the hash of the link's secret is stored.
    const token = await mailedToken(deps.db, email);
    expect(await deps.db.signUpRequest.count({ where: { tokenHash: token } })).toBe(0);

    // Not verified yet: there is no account, and logging in says what a wrong password says.
    const early = await codeOf(logIn(deps, { email, password }, { ip: uniqueIp() }));
    expect(early).toBe('UNAUTHORIZED: Email ou mot de passe incorrect');

    const session = await verifyEmail(deps, { token }, client);
    const claims = await verifyAccessToken(deps.auth, session.accessToken, new Date());
    const me = await getMe(deps, claims);
    expect(me.user).toMatchObject({ email, name: 'Léa Martin' });
    expect(me.organisation).toEqual({ id: session.organisationId, name: 'Assurances Dupont' });
    expect(me.role).toBe('owner');
    expect(me.permissions).toContain('members.write');
    const events = await withTenant(deps.db, session.organisationId!, (tx) => tx.outboxEvent.findMany({ orderBy: { id: 'asc' } }));
    expect(events.map((e) => e.type)).toEqual(['organisation.created', 'member.joined']);
    expect(await codeOf(logIn(deps, { email, password }, { ip: uniqueIp() }))).toBe('OK');
  });

  it('answers an address that has an account exactly as a new one, creates nothing, and tells its owner', async () => {
    const deps = testAuthDeps();
    const { email, userId } = await newTenant(deps);
    const fresh = uniqueEmail('fresh');
    // Other files create organisations at the same time: count the ones this sign-up would name.
    const organisationName = `Y ${uniqueEmail('org')}`;
    const organisations = () => withSystem(deps.db, (tx) => tx.organisation.count({ where: { name: organisationName } }));
    const input = { name: 'X', password: 'another long password', organisationName };
    const known = await signUp(deps, { ...input, email }, { ip: uniqueIp() });
    const unknown = await signUp(deps, { ...input, email: fresh }, { ip: uniqueIp() });
    expect(known).toEqual(unknown);
    // The attempt is recorded, spent at once and with no password: it can never become an account.
    const attempt = await deps.db.signUpRequest.findFirstOrThrow({ where: { email, name: 'X' } });
    expect(attempt).toMatchObject({ passwordHash: '', usedAt: expect.any(Date) });
    expect(await deps.db.user.count({ where: { email } })).toBe(1);
    const notices = await deps.db.systemMail.findMany({ where: { recipient: email, template: 'sign-up-attempt-notice' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ userId, subject: 'Quelqu’un a tenté de créer un compte avec votre adresse', link: `${TEST_APP_URL}/connexion` });
    // Repeated attempts within the hour do not flood the owner's mailbox.
    await signUp(deps, { ...input, email }, { ip: uniqueIp() });
    expect(await deps.db.systemMail.count({ where: { recipient: email, template: 'sign-up-attempt-notice' } })).toBe(1);
    // The new address gets its link; the known one's organisation count is untouched.
    expect(await deps.db.systemMail.count({ where: { recipient: fresh, template: 'email-verification' } })).toBe(1);
    expect(await organisations()).toBe(0);
  });

  it('links work once, expire, and stop working once the address has its account', async () => {
    const deps = testAuthDeps();
    const email = uniqueEmail('links');
    const input = { name: 'Léa', email, password: 'a long enough password', organisationName: 'Liens' };
    await signUp(deps, input, {});
    const first = await mailedToken(deps.db, email);
    await signUp(deps, { ...input, organisationName: 'Liens bis' }, {});
    const second = await mailedToken(deps.db, email);
    expect(second).not.toBe(first);

    const later = testAuthDeps(() => new Date(Date.now() + (deps.auth.emailVerificationTtlHours * 3600 + 5) * 1000));
    expect(await codeOf(verifyEmail(later, { token: first }, {}))).toMatch(/^NOT_FOUND: Ce lien est invalide, expiré ou a déjà servi/);

    // Two tabs open the same link at once: one account.
    const both = await Promise.all([verifyEmail(deps, { token: first }, {}), verifyEmail(deps, { token: first }, {})].map(codeOf));
    expect(both.sort()).toEqual(['NOT_FOUND: Ce lien est invalide, expiré ou a déjà servi. Connectez-vous, ou inscrivez-vous à nouveau.', 'OK']);
    expect(await codeOf(verifyEmail(deps, { token: second }, {}))).toMatch(/^NOT_FOUND/);
    expect(await deps.db.user.count({ where: { email } })).toBe(1);
    expect(await codeOf(verifyEmail(deps, { token: 'x'.repeat(43) }, {}))).toMatch(/^NOT_FOUND/);
  });

  it('is throttled per IP before the password is hashed, parallel requests included', async () => {
    const deps = testAuthDeps();
    const ip = uniqueIp();
    const attempt = (i: number) =>
      signUp(deps, { name: 'Spam', email: uniqueEmail(`spam${i}`), password: 'a long enough password', organisationName: 'Spam' }, { ip });
    const outcomes = await Promise.all(Array.from({ length: SIGN_UP_THROTTLE.limit + 5 }, (_, i) => attempt(i).then(() => 'OK', (e: unknown) => e)));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(SIGN_UP_THROTTLE.limit);
    const refused = outcomes.filter((o) => o !== 'OK') as DomainError[];
    expect(refused.map((e) => e.code)).toEqual(Array(5).fill('TOO_MANY_REQUESTS'));
    // The calls started at slightly different times: each waits until the block set by the first one refused ends.
    expect(refused[0]!.retryAfter).toBeGreaterThan(SIGN_UP_THROTTLE.blockSeconds - 60);
    expect(refused[0]!.retryAfter).toBeLessThanOrEqual(SIGN_UP_THROTTLE.blockSeconds + 60);
    expect(refused[0]!.message).toMatch(/^Trop de tentatives de création de compte\. Réessayez dans 6[01] min\.$/);
    // Only the requests allowed through wrote anything.
    expect(await deps.db.signUpRequest.count({ where: { ip } })).toBe(SIGN_UP_THROTTLE.limit);
    expect(await codeOf(attempt(99).then(() => undefined))).toMatch(/^TOO_MANY_REQUESTS/);
    expect(await codeOf(signUp(deps, { name: 'Other', email: uniqueEmail('other'), password: 'a long enough password', organisationName: 'O' }, { ip: uniqueIp() }))).toBe('OK');
    const later = testAuthDeps(() => new Date(Date.now() + (SIGN_UP_THROTTLE.blockSeconds + 1) * 1000));
    expect(await codeOf(signUp(later, { name: 'Later', email: uniqueEmail('later'), password: 'a long enough password', organisationName: 'L' }, { ip }))).toBe('OK');
  });
});

describe('login', () => {
  it('answers an unknown email and a wrong password the same way', async () => {
    const deps = testAuthDeps();
    const { email } = await newTenant(deps);
    const wrongPassword = await codeOf(logIn(deps, { email, password: 'wrong password!' }, { ip: '10.0.0.1' }));
    const unknownEmail = await codeOf(logIn(deps, { email: uniqueEmail('nobody'), password: 'wrong password!' }, { ip: '10.0.0.1' }));
    expect(wrongPassword).toBe('UNAUTHORIZED: Email ou mot de passe incorrect');
    expect(unknownEmail).toBe(wrongPassword);
  });

  it('throttles an account after repeated failures, even with the right password, and unknown emails alike', async () => {
    const deps = testAuthDeps();
    const { email, password } = await newTenant(deps);
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < THROTTLE.maxFailuresPerAccount; i++) {
      await codeOf(logIn(deps, { email, password: `wrong-${i}` }, { ip: `10.1.0.${i}` }));
      await codeOf(logIn(deps, { email: ghost, password: `wrong-${i}` }, { ip: `10.2.0.${i}` }));
    }
    expect(await codeOf(logIn(deps, { email, password }, { ip: '10.9.9.9' }))).toMatch(/^TOO_MANY_REQUESTS/);
    expect(await codeOf(logIn(deps, { email: ghost, password }, { ip: '10.9.9.8' }))).toMatch(/^TOO_MANY_REQUESTS/);
    // Time passes: the block lifts.
    const later = testAuthDeps(() => new Date(Date.now() + (THROTTLE.blockSeconds + 1) * 1000));
    expect(await codeOf(logIn(later, { email, password }, { ip: '10.9.9.9' }))).toBe('OK');
  });

  it('verifies at most the limit of many parallel attempts, and refuses the right password after them', async () => {
    const deps = testAuthDeps();
    const { email, password } = await newTenant(deps);
    const wrong = await Promise.all(Array.from({ length: 30 }, (_, i) => codeOf(logIn(deps, { email, password: `wrong ${i}` }, { ip: uniqueIp() }))));
    expect(wrong.filter((c) => c.startsWith('UNAUTHORIZED'))).toHaveLength(THROTTLE.maxFailuresPerAccount);
    expect(wrong.filter((c) => c.startsWith('TOO_MANY_REQUESTS'))).toHaveLength(30 - THROTTLE.maxFailuresPerAccount);
    expect(await codeOf(logIn(deps, { email, password }, { ip: uniqueIp() }))).toMatch(/^TOO_MANY_REQUESTS/);
  }, 60_000);

  it('lets no more than the limit through when the right password is among 40 parallel calls (one batch)', async () => {
    const deps = testAuthDeps();
    const { email, password } = await newTenant(deps);
    const ip = uniqueIp();
    const calls = Array.from({ length: 40 }, (_, i) => codeOf(logIn(deps, { email, password: i === 39 ? password : `wrong ${i}` }, { ip })));
    const outcomes = await Promise.all(calls);
    const verified = outcomes.filter((c) => c === 'OK' || c.startsWith('UNAUTHORIZED'));
    expect(verified.length).toBeLessThanOrEqual(THROTTLE.maxFailuresPerAccount);
    expect(outcomes.filter((c) => c.startsWith('TOO_MANY_REQUESTS')).length).toBeGreaterThanOrEqual(40 - THROTTLE.maxFailuresPerAccount);
  }, 60_000);

  it('forgives an account its failures once the right password is given, and does not count successes against an IP', async () => {
    const deps = testAuthDeps();
    const { email, password } = await newTenant(deps);
    const ip = uniqueIp();
    for (let i = 0; i < THROTTLE.maxFailuresPerAccount - 1; i++) await codeOf(logIn(deps, { email, password: `wrong ${i}` }, { ip }));
    expect(await codeOf(logIn(deps, { email, password }, { ip }))).toBe('OK');
    for (let i = 0; i < THROTTLE.maxFailuresPerAccount - 1; i++) expect(await codeOf(logIn(deps, { email, password: `again ${i}` }, { ip }))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(logIn(deps, { email, password }, { ip }))).toBe('OK');
    // An office behind one address: more successful logins than the IP's limit of failures.
    for (let round = 0; round < THROTTLE.maxFailuresPerIp / 4 + 1; round++) {
      const codes = await Promise.all(Array.from({ length: 4 }, () => codeOf(logIn(deps, { email, password }, { ip }))));
      expect(codes).toEqual(['OK', 'OK', 'OK', 'OK']);
    }
  }, 60_000);

  it('throttles an IP that tries many accounts', async () => {
    const deps = testAuthDeps();
    const ip = uniqueIp();
    for (let i = 0; i < THROTTLE.maxFailuresPerIp; i++) {
      await codeOf(logIn(deps, { email: uniqueEmail('spray'), password: 'wrong' }, { ip }));
    }
    const { email, password } = await newTenant(deps);
    expect(await codeOf(logIn(deps, { email, password }, { ip }))).toMatch(/^TOO_MANY_REQUESTS/);
    expect(await codeOf(logIn(deps, { email, password }, { ip: '10.4.0.1' }))).toBe('OK');
  }, 60_000);
});

describe('refresh tokens', () => {
  it('rotate on every use; reusing a rotated one revokes the whole family', async () => {
    const deps = testAuthDeps();
    const { session, email } = await newTenant(deps);
    const first = session.refresh.token;
    const second = await refreshSession(deps, first);
    expect(second.refresh.token).not.toBe(first);
    const third = await refreshSession(deps, second.refresh.token);
    const notices = () => deps.db.systemMail.findMany({ where: { recipient: email, template: 'refresh-token-reuse-notice' } });
    expect(await notices()).toEqual([]);

    // The first token is replayed (stolen): refused, and the family dies with it.
    expect(await codeOf(refreshSession(deps, first, { ip: '203.0.113.9' }))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(refreshSession(deps, third.refresh.token))).toMatch(/^UNAUTHORIZED/);
    // Its owner is told by mail, once for the session, with where the replay came from.
    expect(await codeOf(refreshSession(deps, first))).toMatch(/^UNAUTHORIZED/);
    const mails = await notices();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Alerte de sécurité : une de vos sessions a été fermée');
    expect(mails[0]!.textBody).toContain('203.0.113.9');
  });

  it('stop working after logout', async () => {
    const deps = testAuthDeps();
    const { session } = await newTenant(deps);
    const claims = await verifyAccessToken(deps.auth, session.accessToken, new Date());
    await logOut(deps, claims);
    expect(await codeOf(refreshSession(deps, session.refresh.token))).toMatch(/^UNAUTHORIZED/);
  });

  it('refuse garbage and expired families', async () => {
    const deps = testAuthDeps();
    expect(await codeOf(refreshSession(deps, 'not-a-token'))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(refreshSession(deps, undefined))).toMatch(/^UNAUTHORIZED/);
    const { session } = await newTenant(deps);
    const muchLater = testAuthDeps(() => new Date(Date.now() + (deps.auth.refreshTokenTtlDays + 1) * 86_400_000));
    expect(await codeOf(refreshSession(muchLater, session.refresh.token))).toMatch(/^UNAUTHORIZED/);
  });
});

describe('access tokens', () => {
  it('expire', async () => {
    const deps = testAuthDeps();
    const { session } = await newTenant(deps);
    const later = new Date(Date.now() + (deps.auth.accessTokenTtlSeconds + 5) * 1000);
    expect(await codeOf(verifyAccessToken(deps.auth, session.accessToken, later))).toBe('UNAUTHORIZED: Session expirée');
  });
});

describe('switching organisation', () => {
  it('works only for organisations the user belongs to', async () => {
    const deps = testAuthDeps();
    const a = await newTenant(deps, 'A');
    const b = await newTenant(deps, 'B');
    const claims = await verifyAccessToken(deps.auth, a.session.accessToken, new Date());
    expect(await codeOf(switchOrganisation(deps, claims, { organisationId: b.tenantId }))).toBe('NOT_FOUND: Organisation introuvable');
    expect(await codeOf(switchOrganisation(deps, claims, { organisationId: a.tenantId }))).toBe('OK');
  });
});

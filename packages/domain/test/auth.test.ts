import { withSystem, withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  getMe,
  logIn,
  logOut,
  refreshSession,
  signUp,
  switchOrganisation,
  THROTTLE,
  verifyAccessToken,
} from '../src/index.ts';
import { newTenant, testAuthDeps, uniqueEmail } from './harness.ts';

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
  it('creates the organisation, its owner, and announces both in the outbox', async () => {
    const deps = testAuthDeps();
    const { tenantId, userId, session } = await newTenant(deps, 'Assurances Dupont');
    const claims = await verifyAccessToken(deps.auth, session.accessToken, new Date());
    expect(claims).toMatchObject({ userId, tenantId });
    const me = await getMe(deps, claims);
    expect(me.organisation).toEqual({ id: tenantId, name: 'Assurances Dupont' });
    expect(me.role).toBe('owner');
    expect(me.permissions).toContain('members.write');
    const events = await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.findMany({ orderBy: { id: 'asc' } }));
    expect(events.map((e) => e.type)).toEqual(['organisation.created', 'member.joined']);
    expect(events.every((e) => e.tenantId === tenantId && e.publishedAt === null)).toBe(true);
  });

  it('refuses a second account with the same email, and writes nothing', async () => {
    const deps = testAuthDeps();
    const { email } = await newTenant(deps);
    const before = await withSystem(deps.db, (tx) => tx.organisation.count());
    const error = await codeOf(
      signUp(deps, { name: 'X', email, password: 'another long password', organisationName: 'Y' }, {}),
    );
    expect(error).toMatch(/^CONFLICT/);
    expect(await withSystem(deps.db, (tx) => tx.organisation.count())).toBe(before);
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

  it('throttles an IP that tries many accounts', async () => {
    const deps = testAuthDeps();
    const ip = `10.3.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
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
    const { session } = await newTenant(deps);
    const first = session.refresh.token;
    const second = await refreshSession(deps, first);
    expect(second.refresh.token).not.toBe(first);
    const third = await refreshSession(deps, second.refresh.token);

    // The first token is replayed (stolen): refused, and the family dies with it.
    expect(await codeOf(refreshSession(deps, first))).toMatch(/^UNAUTHORIZED/);
    expect(await codeOf(refreshSession(deps, third.refresh.token))).toMatch(/^UNAUTHORIZED/);
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

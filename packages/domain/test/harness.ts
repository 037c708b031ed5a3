import { randomBytes } from 'node:crypto';
import { createDb, withTenant, type Db } from '@crm/db';
import { inject } from 'vitest';
import { DEFAULT_AUTH_TTLS, signUp, systemClock, type Actor, type AuthDeps, type Clock, type TenantDeps } from '../src/index.ts';

let db: Db | undefined;

/** The run's database, as the application role (row-level security applies). */
export function testDb(): Db {
  db ??= createDb({ url: inject('databaseUrl'), poolSize: 4 });
  return db;
}

export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters!';

export function testAuthDeps(clock: Clock = systemClock): AuthDeps {
  return {
    db: testDb(),
    clock,
    auth: {
      secret: new TextEncoder().encode(TEST_JWT_SECRET),
      issuer: 'crm-api',
      audience: 'crm-web',
      ...DEFAULT_AUTH_TTLS,
    },
  };
}

export const uniqueEmail = (label = 'user'): string => `${label}.${randomBytes(6).toString('hex')}@example.test`;

/** A fresh organisation and its owner: every test makes its own, so files run in parallel. */
export async function newTenant(deps: AuthDeps = testAuthDeps(), name = 'Société Test') {
  const email = uniqueEmail('owner');
  const password = 'correct horse battery staple';
  const session = await signUp(deps, { name: 'Owner Test', email, password, organisationName: name }, { ip: '127.0.0.1' });
  return { tenantId: session.organisationId!, userId: session.userId, email, password, session };
}

/**
 * A fresh organisation with its owner as the actor, and `run`: a use case in one tenant
 * transaction as that owner (at `now`, default the current time).
 */
export async function ownerTenant(auth: AuthDeps = testAuthDeps(), name?: string) {
  const owner = await newTenant(auth, name);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  const actor: Actor = { userId: owner.userId, tenantId: owner.tenantId, memberId: member.id, role: 'owner' };
  const run = <R>(f: (deps: TenantDeps) => Promise<R>, now = new Date()) => withTenant(auth.db, owner.tenantId, (tx) => f({ tx, now, actor }));
  return { auth, owner, member, actor, run };
}

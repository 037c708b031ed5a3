import { randomBytes } from 'node:crypto';
import { createDb, withTenant, type Db } from '@crm/db';
import { inject } from 'vitest';
import { DEFAULT_AUTH_TTLS, signUp, systemClock, verifyEmail, type Actor, type AuthDeps, type Clock, type TenantDeps } from '../src/index.ts';

let db: Db | undefined;

/** The run's database, as the application role (row-level security applies). */
export function testDb(): Db {
  db ??= createDb({ url: inject('databaseUrl'), poolSize: 4 });
  return db;
}

export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters!';
export const TEST_APP_URL = 'http://web.example.test';

export function testAuthDeps(clock: Clock = systemClock): AuthDeps {
  return {
    db: testDb(),
    clock,
    auth: {
      secret: new TextEncoder().encode(TEST_JWT_SECRET),
      issuer: 'crm-api',
      audience: 'crm-web',
      ...DEFAULT_AUTH_TTLS,
      appUrl: TEST_APP_URL,
    },
  };
}

export const uniqueEmail = (label = 'user'): string => `${label}.${randomBytes(6).toString('hex')}@example.test`;

/** An address of its own for each caller, so per-IP limits of one test never reach another's. */
export const uniqueIp = (): string => `2001:db8::${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}`;

/** The secret of the newest link of `template` mailed to `email`, read where the sender would. */
export async function mailedToken(db: Db, email: string, template = 'email-verification'): Promise<string> {
  const mail = await db.systemMail.findFirst({ where: { recipient: email, template }, orderBy: { createdAt: 'desc' }, select: { link: true } });
  const token = mail?.link?.split('#')[1];
  if (!token) throw new Error(`no ${template} mail to ${email}`);
  return token;
}

/**
 * A fresh organisation and its owner, signed up and verified as a person does it (the link of
 * the verification mail): every test makes its own, so files run in parallel.
 */
export async function newTenant(deps: AuthDeps = testAuthDeps(), name = 'Société Test', ownerName = 'Owner Test') {
  const email = uniqueEmail('owner');
  const password = 'correct horse battery staple';
  const client = { ip: uniqueIp() };
  await signUp(deps, { name: ownerName, email, password, organisationName: name }, client);
  const session = await verifyEmail(deps, { token: await mailedToken(deps.db, email) }, client);
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

import { randomBytes } from 'node:crypto';
import { createDb, withTenant, type Db } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/db/testing';
import { createVerifiedAccount, DEFAULT_AUTH_TTLS, emitEvent, hashPassword, systemClock, type AuthDeps } from '@crm/domain';
import { pino } from 'pino';

export const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
export const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A database of the file's own: a worker's relay publishes every tenant's events, so it must not see other files' rows. */
export async function ownDatabase(prefix: string): Promise<{ database: TestDatabase; db: Db; deps: AuthDeps }> {
  const database = await createTestDatabase(prefix);
  const db = createDb({ url: database.appUrl, poolSize: 8 });
  const deps: AuthDeps = {
    db,
    clock: systemClock,
    auth: { secret: new TextEncoder().encode('x'.repeat(40)), issuer: 'crm-api', audience: 'crm-web', ...DEFAULT_AUTH_TTLS, appUrl: 'http://web.example.test' },
  };
  return { database, db, deps };
}

export async function newOrganisation(deps: AuthDeps, name = 'Worker SAS') {
  return createVerifiedAccount(deps, {
    name: 'Owner',
    email: `owner.${randomBytes(5).toString('hex')}@example.test`,
    passwordHash: await hashPassword('a long password!'),
    organisationName: name,
  });
}

/** `count` client.created events and one payment.received of `cents`, committed in batches. */
export async function emitClientEvents(db: Db, tenantId: string, count: number, batch = 500): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    await withTenant(db, tenantId, async (tx) => {
      for (let i = done; i < Math.min(count, done + batch); i++) {
        await emitEvent(tx, {
          type: 'client.created',
          tenantId,
          payload: { clientId: '01900000-0000-7000-8000-' + String(i).padStart(12, '0'), kind: 'person', displayName: `Client ${i}`, salesRepId: null },
        });
      }
    });
  }
}

export async function dashboardTotals(db: Db, tenantId: string) {
  const rows = await withTenant(db, tenantId, (tx) => tx.dashboardDaily.findMany());
  return {
    newClients: rows.reduce((s, r) => s + r.newClients, 0),
    receivedCents: rows.reduce((s, r) => s + Number(r.receivedCents), 0),
  };
}

export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const uniqueNames = () => {
  const id = randomBytes(4).toString('hex');
  return { stream: `TEST_${id}`, subjectPrefix: `test_${id}.events` };
};

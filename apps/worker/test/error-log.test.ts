import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { withTenant } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { emitEvent, type AuthDeps, type EventHandler } from '@crm/domain';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker.ts';
import { newOrganisation, ownDatabase, until } from './support.ts';

// A handler failing on an event's data: the worker's log says which consumer, event and error
// class, never the data (here a Prisma validation error, whose message prints the whole query).
let database: TestDatabase;
let deps: AuthDeps;
beforeAll(async () => {
  ({ database, deps } = await ownDatabase('crm_worker_log'));
}, 60_000);
afterAll(async () => {
  await deps.db.$disconnect();
  await database.drop();
});

describe('the worker’s log', () => {
  it('names the consumer, the event and the error’s class when a handler fails, not the event’s data', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void lines.push(chunk.toString())) }));
    const unique = randomBytes(4).toString('hex');
    const displayName = `Zéphyrine Quatremaille ${unique}`;
    const iban = `FR76300060000112345678${unique}`;
    const leaky: EventHandler = {
      consumer: 'leaky',
      types: ['client.created'],
      handle: async (tx, event) => {
        const { displayName: name } = event.payload as { displayName: string };
        await tx.client.create({ data: { tenantId: event.tenantId, displayName: name, iban } as never });
      },
    };
    const org = await newOrganisation(deps);
    const worker = await startWorker({ db: deps.db, nats: null, log, relayPollMs: 50, policy: { maxAttempts: 2, retryBaseMs: 20 }, handlers: [leaky] });
    try {
      const event = await withTenant(deps.db, org.tenantId, (tx) =>
        emitEvent(tx, { type: 'client.created', tenantId: org.tenantId, payload: { clientId: '01900000-0000-7000-8000-0000000000c1', kind: 'person', displayName, salesRepId: null } }),
      );
      await until(
        () => withTenant(deps.db, org.tenantId, (tx) => tx.deadLetter.count({ where: { consumer: 'leaky', eventId: event.id } })),
        (n) => n === 1,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, any>);
      const retried = parsed.find((line) => line.msg === 'handler failed, will retry');
      const parked = parsed.find((line) => line.msg === 'event dead-lettered');
      for (const line of [retried, parked]) {
        expect(line).toMatchObject({ consumer: 'leaky', eventId: event.id, eventType: 'client.created', tenantId: org.tenantId, err: { type: 'PrismaClientValidationError' } });
      }
      const text = lines.join('');
      expect([displayName, iban, unique].filter((value) => text.includes(value))).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});

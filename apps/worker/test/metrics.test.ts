import { randomBytes } from 'node:crypto';
import type { Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import type { EventHandler } from '@crm/domain';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHealth, startWorker } from '../src/worker.ts';
import { emitClientEvents, natsUrl, newOrganisation, ownDatabase, silent, uniqueNames, until } from './support.ts';

let database: TestDatabase;
let db: Db;
let deps: Awaited<ReturnType<typeof ownDatabase>>['deps'];
beforeAll(async () => {
  ({ database, db, deps } = await ownDatabase('crm_worker_metrics'));
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe("the worker's GET /metrics", () => {
  it('shows a consumer lag while events wait for their handler, behind the token', async () => {
    const nats = await connect({ servers: natsUrl, name: 'worker-metrics-test' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A handler that holds every event until released: they stay delivered and unacked.
    const slow: EventHandler = { consumer: 'metrics-slow', types: ['client.created'], handle: () => held };
    const worker = await startWorker({ db, nats, log: silent, handlers: [slow], relayPollMs: 50, jetstream: uniqueNames() });
    const token = randomBytes(24).toString('base64url');
    const server = await serveHealth(worker, '127.0.0.1', 0, { token, openWithoutToken: false });
    const closed = await serveHealth(worker, '127.0.0.1', 0);
    const url = (s: typeof server) => `http://127.0.0.1:${(s.address() as { port: number }).port}/metrics`;
    try {
      expect((await fetch(url(server))).status).toBe(401);
      expect((await fetch(url(server), { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(url(closed), { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);

      const { tenantId } = await newOrganisation(deps);
      await emitClientEvents(db, tenantId, 3);
      const lagOf = (text: string) =>
        ['pending', 'ack_pending'].reduce((sum, state) => {
          const match = new RegExp(`^crm_worker_consumer_pending_messages\\{consumer="metrics-slow",event_type="client.created",state="${state}"\\} (\\d+)$`, 'm').exec(text);
          return sum + Number(match?.[1] ?? 0);
        }, 0);
      const scrape = async () => (await fetch(url(server), { headers: { authorization: `Bearer ${token}` } })).text();
      const waiting = await until(scrape, (text) => lagOf(text) === 3);
      expect(waiting).not.toContain(tenantId);

      release();
      const drained = await until(scrape, (text) => lagOf(text) === 0);
      expect(drained).toMatch(/^crm_worker_events_handled\{consumer="metrics-slow"\} 3$/m);
      expect(Number(/^crm_worker_events_published (\d+)$/m.exec(drained)?.[1])).toBeGreaterThanOrEqual(3); // and the account's own events
    } finally {
      release();
      await worker.stop();
      server.close();
      closed.close();
      await nats.close();
    }
  });
});

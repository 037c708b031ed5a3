import { randomBytes } from 'node:crypto';
import { withSystem, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { queueSystemMail, type EventHandler } from '@crm/domain';
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

  it('shows the outgoing effects queue by status and the age of its oldest queued row', async () => {
    // No transport: what is queued stays queued.
    const worker = await startWorker({ db, nats: null, log: silent });
    const server = await serveHealth(worker, '127.0.0.1', 0, { openWithoutToken: true });
    try {
      const key = randomBytes(8).toString('hex');
      await withSystem(db, async (tx) => {
        await queueSystemMail(tx, { recipient: 'a@example.test', template: 't', subject: 's', textBody: 'b', idempotencyKey: `${key}:1` });
        await queueSystemMail(tx, { recipient: 'b@example.test', template: 't', subject: 's', textBody: 'b', idempotencyKey: `${key}:2` });
        await tx.$executeRaw`UPDATE system_mails SET status = 'failed', created_at = now() - interval '1 hour' WHERE idempotency_key = ${`${key}:2`}`;
        await tx.$executeRaw`UPDATE system_mails SET created_at = now() - interval '90 seconds' WHERE idempotency_key = ${`${key}:1`}`;
      });
      const text = await (await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`)).text();
      expect(Number(/^crm_effects\{queue="system_mails",status="queued"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      expect(Number(/^crm_effects\{queue="system_mails",status="failed"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      const oldest = Number(/^crm_effects_oldest_queued_seconds\{queue="system_mails"\} ([\d.]+)$/m.exec(text)?.[1]);
      expect(oldest).toBeGreaterThanOrEqual(90);
      expect(oldest).toBeLessThan(3600); // the older row is failed, not queued
      expect(text).toMatch(/^crm_effects_oldest_queued_seconds\{queue="outgoing_effects"\} 0$/m);
    } finally {
      await worker.stop();
      server.close();
    }
  });
});

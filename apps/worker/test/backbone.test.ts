import { withSystem, withTenant } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { emitEvent, PermanentEventError, replayDeadLetter, type AuthDeps, type EventHandler } from '@crm/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker.ts';
import { dashboardTotals, emitClientEvents, natsUrl, newOrganisation, ownDatabase, silent, uniqueNames, until } from './support.ts';

const run = promisify(execFile);
let database: TestDatabase;
let deps: AuthDeps;
let nc: NatsConnection;
const streams: string[] = [];

beforeAll(async () => {
  ({ database, deps } = await ownDatabase('crm_bus'));
  nc = await connect({ servers: natsUrl });
}, 60_000);
afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
  await nc.close();
  await deps.db.$disconnect();
  await database.drop();
});

const fast = { maxAttempts: 3, retryBaseMs: 20 };

describe.sequential('the event backbone', () => {
  it('in process: every event reaches each consumer group once, republishing changes nothing', async () => {
    const org = await newOrganisation(deps);
    const worker = await startWorker({ db: deps.db, nats: null, log: silent, relayPollMs: 50, policy: fast });
    await emitClientEvents(deps.db, org.tenantId, 120);
    await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients === 120);

    // An operator republishes everything: the processed-event records absorb it.
    await withSystem(deps.db, (tx) => tx.$executeRaw`UPDATE outbox_events SET published_at = NULL WHERE tenant_id = ${org.tenantId}::uuid`);
    await until(
      () => withTenant(deps.db, org.tenantId, (tx) => tx.outboxEvent.count({ where: { publishedAt: null } })),
      (n) => n === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await dashboardTotals(deps.db, org.tenantId)).newClients).toBe(120);
    await worker.stop();
  });

  it('over JetStream with two worker replicas: each event handled once per group', async () => {
    const names = uniqueNames();
    streams.push(names.stream);
    const org = await newOrganisation(deps);
    const [a, b] = await Promise.all(
      [1, 2].map(() => startWorker({ db: deps.db, nats: nc, log: silent, relayPollMs: 50, policy: fast, jetstream: names })),
    );
    await emitClientEvents(deps.db, org.tenantId, 400);
    await withTenant(deps.db, org.tenantId, (tx) =>
      emitEvent(tx, {
        type: 'payment.received',
        tenantId: org.tenantId,
        payload: { paymentId: '01900000-0000-7000-8000-00000000abcd', clientId: '01900000-0000-7000-8000-000000000001', contractId: null, amountCents: 4_990, receivedOn: '2026-11-24', method: 'sepa_debit' },
      }),
    );
    await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients === 400 && t.receivedCents === 4_990);
    const processed = await withTenant(deps.db, org.tenantId, (tx) => tx.processedEvent.groupBy({ by: ['consumer'], _count: true }));
    expect(processed.find((p) => p.consumer === 'dashboard')?._count).toBe(401);
    // Both replicas took a share of the dashboard consumer's messages.
    expect(a!.stats().handled.dashboard! + b!.stats().handled.dashboard!).toBeGreaterThanOrEqual(401);
    await Promise.all([a!.stop(), b!.stop()]);
  }, 60_000);

  it('republishes a range on demand; consumers skip what they already handled', async () => {
    const names = uniqueNames();
    streams.push(names.stream);
    const org = await newOrganisation(deps);
    const worker = await startWorker({ db: deps.db, nats: nc, log: silent, relayPollMs: 50, policy: fast, jetstream: names });
    const since = new Date().toISOString();
    await emitClientEvents(deps.db, org.tenantId, 50);
    await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients === 50);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/republish.ts', '--from', since, '--tenant', org.tenantId], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_URL: database.appUrl, NATS_URL: natsUrl, EVENTS_STREAM: names.stream, EVENTS_SUBJECT_PREFIX: names.subjectPrefix },
    });
    expect(stdout).toMatch(/^50 events republished/);
    const info = await (await jetstreamManager(nc)).streams.info(names.stream);
    expect(info.state.messages).toBe(2 + 50 + 50); // sign-up's two events, the originals, the republished copies
    await until(() => (jetstreamManager(nc)).then((m) => m.consumers.info(names.stream, 'crm-dashboard-client-created')), (c) => c.num_pending === 0 && c.num_ack_pending === 0);
    expect((await dashboardTotals(deps.db, org.tenantId)).newClients).toBe(50);
    await worker.stop();
  }, 60_000);

  it('notifies the organisation admins of a new member, in real rows', async () => {
    const names = uniqueNames();
    streams.push(names.stream);
    const org = await newOrganisation(deps);
    const worker = await startWorker({ db: deps.db, nats: nc, log: silent, relayPollMs: 50, policy: fast, jetstream: names });
    const newcomer = await deps.db.user.create({ data: { email: `new.${Date.now()}@example.test`, name: 'Nina Petit', passwordHash: 'x' } });
    await withTenant(deps.db, org.tenantId, async (tx) => {
      const member = await tx.membership.create({ data: { tenantId: org.tenantId, userId: newcomer.id, role: 'sales' } });
      await emitEvent(tx, { type: 'member.joined', tenantId: org.tenantId, payload: { memberId: member.id, userId: newcomer.id, role: 'sales' } });
    });
    const notifications = await until(
      () => withTenant(deps.db, org.tenantId, (tx) => tx.notification.findMany({ where: { userId: org.userId } })),
      (rows) => rows.length > 0,
    );
    expect(notifications).toMatchObject([{ title: 'Nouveau membre', body: 'Nina Petit a rejoint l’organisation (commercial).' }]);
    await worker.stop();
  }, 30_000);

  it('dead-letters a permanent error at once, without retrying', async () => {
    const org = await newOrganisation(deps);
    let calls = 0;
    const strict: EventHandler = {
      consumer: 'strict',
      types: ['payment.rejected'], // emitted by this test only
      handle: () => {
        calls++;
        return Promise.reject(new PermanentEventError('client inconnu du référentiel'));
      },
    };
    const worker = await startWorker({ db: deps.db, nats: null, log: silent, relayPollMs: 50, policy: fast, handlers: [strict] });
    await withTenant(deps.db, org.tenantId, (tx) =>
      emitEvent(tx, {
        type: 'payment.rejected',
        tenantId: org.tenantId,
        payload: { paymentId: '01900000-0000-7000-8000-0000000000aa', clientId: '01900000-0000-7000-8000-000000000001', contractId: null, amountCents: 1_000, reasonCode: 'AM04', rejectedOn: '2026-11-24' },
      }),
    );
    const [letter] = await until(
      () => withTenant(deps.db, org.tenantId, (tx) => tx.deadLetter.findMany({ where: { consumer: 'strict' } })),
      (rows) => rows.length === 1,
    );
    expect(letter).toMatchObject({ attempts: 1, error: 'PermanentEventError: client inconnu du référentiel' });
    expect(calls).toBe(1);
    await worker.stop();
  });

  it('respects a member who switched a notification type off', async () => {
    const org = await newOrganisation(deps);
    await withTenant(deps.db, org.tenantId, (tx) =>
      tx.notificationPreference.create({ data: { tenantId: org.tenantId, userId: org.userId, type: 'member.joined', inApp: false } }),
    );
    const worker = await startWorker({ db: deps.db, nats: null, log: silent, relayPollMs: 50, policy: fast });
    const newcomer = await deps.db.user.create({ data: { email: `muted.${Date.now()}@example.test`, name: 'Léo', passwordHash: 'x' } });
    const event = await withTenant(deps.db, org.tenantId, async (tx) => {
      const member = await tx.membership.create({ data: { tenantId: org.tenantId, userId: newcomer.id, role: 'viewer' } });
      return emitEvent(tx, { type: 'member.joined', tenantId: org.tenantId, payload: { memberId: member.id, userId: newcomer.id, role: 'viewer' } });
    });
    await until(
      () => withTenant(deps.db, org.tenantId, (tx) => tx.processedEvent.count({ where: { consumer: 'notifications', eventId: event.id } })),
      (n) => n === 1,
    );
    expect(await withTenant(deps.db, org.tenantId, (tx) => tx.notification.count())).toBe(0);
    await worker.stop();
  });

  it.each(['jetstream', 'in-process'] as const)('%s: retries a failing handler with delays, dead-letters it, and replays it once fixed', async (transport) => {
    const names = uniqueNames();
    streams.push(names.stream);
    const org = await newOrganisation(deps);
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    // An incident: the projection's table is gone.
    await owner.query('ALTER TABLE dashboard_daily RENAME TO dashboard_daily_away');
    const worker = await startWorker({ db: deps.db, nats: transport === 'jetstream' ? nc : null, log: silent, relayPollMs: 50, policy: fast, jetstream: names });
    try {
      await emitClientEvents(deps.db, org.tenantId, 1);
      const [letter] = await until(
        () => withTenant(deps.db, org.tenantId, (tx) => tx.deadLetter.findMany({ where: { consumer: 'dashboard' } })),
        (rows) => rows.length === 1,
      );
      expect(letter).toMatchObject({ attempts: 3, eventType: 'client.created', replayedAt: null });
      expect(letter!.error).toMatch(/dashboard_daily/);
    } finally {
      await owner.query('ALTER TABLE dashboard_daily_away RENAME TO dashboard_daily');
      await owner.end();
    }
    await worker.stop();
    const [letter] = await withTenant(deps.db, org.tenantId, (tx) => tx.deadLetter.findMany());
    const member = await withTenant(deps.db, org.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: org.userId } }));
    await withTenant(deps.db, org.tenantId, (tx) =>
      replayDeadLetter({ tx, now: new Date(), actor: { userId: org.userId, tenantId: org.tenantId, memberId: member.id, role: 'owner' } }, { deadLetterId: letter!.id }),
    );
    expect((await dashboardTotals(deps.db, org.tenantId)).newClients).toBe(1);
  }, 30_000);
});

import type { ChildProcess } from 'node:child_process';
import { withTenant } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import type { AuthDeps } from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardTotals, emitClientEvents, newOrganisation, ownDatabase, until } from './support.ts';
import { kill, startNatsServer, startTcpProxy, startWorkerProcess } from './processes.ts';

// Fault tests on real processes: the worker (relay + consumers) as children, a nats-server of
// the test's own, PostgreSQL behind a proxy that can cut it. Bounded in count and time.
let database: TestDatabase;
let deps: AuthDeps;
beforeAll(async () => {
  ({ database, deps } = await ownDatabase('crm_faults'));
}, 60_000);
afterAll(async () => {
  await deps.db.$disconnect();
  await database.drop();
});

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

async function everythingHandled(tenantId: string, events: number, timeoutMs: number) {
  await until(() => dashboardTotals(deps.db, tenantId), (t) => t.newClients >= events, timeoutMs);
  // Settle: a duplicate effect would show as a counter above the number of events.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const totals = await dashboardTotals(deps.db, tenantId);
  const processed = await withTenant(deps.db, tenantId, (tx) => tx.processedEvent.count({ where: { consumer: 'dashboard' } }));
  const unpublished = await withTenant(deps.db, tenantId, (tx) => tx.outboxEvent.count({ where: { publishedAt: null } }));
  const dead = await withTenant(deps.db, tenantId, (tx) => tx.deadLetter.count());
  return { newClients: totals.newClients, processed, unpublished, dead };
}

describe.sequential('the event backbone under faults', () => {
  it('10k events while the worker is SIGKILLed 20 times: each handled exactly once', async () => {
    const nats = await startNatsServer();
    const org = await newOrganisation(deps);
    const env = { DATABASE_URL: database.appUrl, NATS_URL: nats.url };
    const workers: ChildProcess[] = [startWorkerProcess(env), startWorkerProcess(env)];
    let kills = 0;
    const killer = (async () => {
      while (kills < 20) {
        await new Promise((resolve) => setTimeout(resolve, random(150, 900)));
        const victim = random(0, workers.length);
        await kill(workers[victim]!);
        workers[victim] = startWorkerProcess(env);
        kills++;
      }
    })();
    try {
      await emitClientEvents(deps.db, org.tenantId, 10_000, 250);
      await killer;
      const result = await everythingHandled(org.tenantId, 10_000, 120_000);
      expect(result).toEqual({ newClients: 10_000, processed: 10_000, unpublished: 0, dead: 0 });
      expect(kills).toBe(20);
    } finally {
      await killer.catch(() => undefined);
      await Promise.all(workers.map((w) => kill(w)));
      await nats.dispose();
    }
  }, 240_000);

  it('nats-server stopped and restarted mid-run: the relay catches up from the outbox', async () => {
    const nats = await startNatsServer();
    const org = await newOrganisation(deps);
    const worker = startWorkerProcess({ DATABASE_URL: database.appUrl, NATS_URL: nats.url });
    try {
      await emitClientEvents(deps.db, org.tenantId, 1_000);
      await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients > 0, 30_000);
      await nats.stop();
      await emitClientEvents(deps.db, org.tenantId, 1_000); // committed while NATS is down
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await nats.start();
      const result = await everythingHandled(org.tenantId, 2_000, 60_000);
      expect(result).toEqual({ newClients: 2_000, processed: 2_000, unpublished: 0, dead: 0 });
    } finally {
      await kill(worker);
      await nats.dispose();
    }
  }, 120_000);

  it('PostgreSQL unreachable for a while: the worker waits, resumes, and acks nothing it did not handle', async () => {
    const nats = await startNatsServer();
    const proxy = await startTcpProxy(Number(new URL(database.appUrl).port || 5432));
    const org = await newOrganisation(deps);
    const proxied = new URL(database.appUrl);
    proxied.port = String(proxy.port);
    const worker = startWorkerProcess({ DATABASE_URL: proxied.toString(), NATS_URL: nats.url });
    try {
      await emitClientEvents(deps.db, org.tenantId, 500);
      await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients > 0, 30_000);
      proxy.cut();
      await emitClientEvents(deps.db, org.tenantId, 500); // the worker cannot see these yet
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      proxy.restore();
      const result = await everythingHandled(org.tenantId, 1_000, 60_000);
      expect(result).toEqual({ newClients: 1_000, processed: 1_000, unpublished: 0, dead: 0 });
    } finally {
      await kill(worker);
      await proxy.close();
      await nats.dispose();
    }
  }, 120_000);
});

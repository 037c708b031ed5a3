import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { withSystem, withTenant, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { defineJobKind, PAYMENTS_HOUSEKEEPING_JOB, runDueJobsOnce, scheduleJob, type JobDeps } from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serveHealth, startWorker } from '../src/worker.ts';
import { kill } from './processes.ts';
import { newOrganisation, ownDatabase, silent, until } from './support.ts';

let database: TestDatabase;
let db: Db;
let deps: Awaited<ReturnType<typeof ownDatabase>>['deps'];
beforeAll(async () => {
  ({ database, db, deps } = await ownDatabase('crm_worker_jobs'));
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

function testKind(behaviour: (deps: JobDeps) => Promise<unknown> | void = () => undefined) {
  return defineJobKind({
    kind: `test.${randomBytes(4).toString('hex')}`,
    label: 'Test',
    payload: z.strictObject({}),
    async run(d) {
      await d.tx.auditLog.create({ data: { tenantId: d.tenantId, action: 'test.job_ran', entityType: 'timed_job', entityId: d.job.id } });
      await behaviour(d);
    },
  });
}
const runs = (tenantId: string) => withTenant(db, tenantId, (tx) => tx.auditLog.count({ where: { action: 'test.job_ran' } }));
const jobOf = (tenantId: string, kind: string) => withTenant(db, tenantId, (tx) => tx.timedJob.findFirstOrThrow({ where: { kind } }));

describe('timed jobs in the worker', () => {
  it('a worker SIGKILLed inside a job: its work rolls back, and another worker runs the job once its lease has expired', async () => {
    const { tenantId } = await newOrganisation(deps);
    const kind = testKind();
    await withTenant(db, tenantId, (tx) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date(Date.now() - 1_000) }));
    const leaseMs = 3_000;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'job-child.ts')], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_URL: database.appUrl, JOB_KIND: kind.kind, LEASE_MS: String(leaseMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const started = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /running (\S+)\n/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', () => reject(new Error('the child exited before running the job')));
      });
      const claimedAt = Date.now();
      expect(await jobOf(tenantId, kind.kind)).toMatchObject({ id: started, lockedBy: `child:${child.pid}`, attempts: 1 });
      await kill(child, 'SIGKILL');
      const other = { db, kinds: [kind], workerId: 'survivor', now: () => new Date() };
      // Within the lease the job is left alone, though its worker is gone.
      if (Date.now() - claimedAt < leaseMs - 500) expect(await runDueJobsOnce(other)).toEqual([]);
      const results = await until(() => runDueJobsOnce(other), (r) => r.length > 0, leaseMs + 10_000);
      expect(results).toEqual([expect.objectContaining({ id: started, outcome: 'succeeded' })]);
      expect(await runs(tenantId)).toBe(1); // the killed attempt's audit row never committed
      expect(await jobOf(tenantId, kind.kind)).toMatchObject({ state: 'done', attempts: 2, lastOutcome: 'succeeded', lockedBy: null });
    } finally {
      await kill(child);
    }
  }, 60_000);

  it('runs due jobs, gives every organisation its hourly payments job, drains a running job on stop, and shows the backlog in /metrics', async () => {
    const { tenantId } = await newOrganisation(deps);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const quick = testKind();
    const slow = testKind(async () => {
      started++;
      await held;
    });
    const failing = testKind(() => {
      throw new Error('no answer');
    });
    const unknownHere = `test.${randomBytes(4).toString('hex')}`; // a kind this worker does not run
    await withTenant(db, tenantId, async (tx) => {
      for (let i = 0; i < 20; i++) await scheduleJob(tx, { kind: quick.kind, key: `q${i}`, runAt: new Date(Date.now() - 1_000) });
      await scheduleJob(tx, { kind: failing.kind, key: 'f', runAt: new Date(Date.now() - 1_000) });
      await scheduleJob(tx, { kind: unknownHere, key: 'u', runAt: new Date(Date.now() - 60_000) });
    });
    const worker = await startWorker({ db, nats: null, log: silent, relayPollMs: 50, timedJobsPollMs: 50, jobKinds: [quick, slow, failing, PAYMENTS_HOUSEKEEPING_JOB] });
    const server = await serveHealth(worker, '127.0.0.1', 0, { openWithoutToken: true });
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    let stopped = false;
    try {
      await until(() => runs(tenantId), (n) => n === 20);
      const housekeeping = await until(
        () => withTenant(db, tenantId, (tx) => tx.timedJob.findFirst({ where: { kind: PAYMENTS_HOUSEKEEPING_JOB.kind } })),
        (job) => job !== null,
      );
      expect(housekeeping).toMatchObject({ key: 'hourly', recurrence: 'hourly', state: 'scheduled' });
      expect(housekeeping!.runAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
      expect(housekeeping!.runAt.getUTCMinutes()).toBe(0);

      const text = await until(
        async () => (await fetch(url)).text(),
        (t) => new RegExp(`^crm_worker_timed_jobs_failed\\{kind="${failing.kind}"\\} 1$`, 'm').test(t),
      );
      expect(text).toMatch(new RegExp(`^crm_worker_timed_jobs_due\\{kind="${unknownHere}"\\} 1$`, 'm'));
      expect(Number(new RegExp(`^crm_worker_timed_jobs_oldest_due_seconds\\{kind="${unknownHere}"\\} ([\\d.]+)$`, 'm').exec(text)?.[1])).toBeGreaterThanOrEqual(60);
      expect(text).toMatch(new RegExp(`^crm_worker_timed_jobs_due\\{kind="${quick.kind}"\\} 0$`, 'm'));
      expect(Number(/^crm_worker_timed_jobs_run\{outcome="succeeded"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(20);
      expect(text).not.toContain(tenantId);

      // A job running when the worker is told to stop: stop waits for it, and it commits.
      await withTenant(db, tenantId, (tx) => scheduleJob(tx, { kind: slow.kind, key: 's', runAt: new Date(Date.now() - 1_000) }));
      await until(() => Promise.resolve(started), (n) => n === 1);
      const stopping = worker.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(await jobOf(tenantId, slow.kind)).toMatchObject({ state: 'done', lastOutcome: 'succeeded', lockedBy: null });
      expect(await runs(tenantId)).toBe(21);
    } finally {
      release();
      if (!stopped) await worker.stop();
      server.close();
    }
  }, 60_000);

  it('runs the payments pass for a tenant when its hourly job is due', async () => {
    const { tenantId } = await newOrganisation(deps);
    await withTenant(db, tenantId, (tx) => scheduleJob(tx, { kind: PAYMENTS_HOUSEKEEPING_JOB.kind, key: 'hourly', runAt: new Date(Date.now() - 1_000), recurrence: 'hourly' }));
    const worker = await startWorker({ db, nats: null, log: silent, relayPollMs: 50, timedJobsPollMs: 50, jobKinds: [PAYMENTS_HOUSEKEEPING_JOB] });
    try {
      const job = await until(() => jobOf(tenantId, PAYMENTS_HOUSEKEEPING_JOB.kind), (j) => j.lastOutcome !== null);
      expect(job).toMatchObject({ lastOutcome: 'succeeded', state: 'scheduled', attempts: 0 });
      expect(job.runAt.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await worker.stop();
    }
    expect(await withSystem(db, (tx) => tx.timedJob.count({ where: { tenantId, kind: PAYMENTS_HOUSEKEEPING_JOB.kind } }))).toBe(1);
  });
});

import { randomBytes } from 'node:crypto';
import { createDb, withSystem, withTenant, type Db } from '@crm/db';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  backoffMs,
  claimDueJobsAcrossTenants,
  defineJobKind,
  LEASE_EXPIRED,
  listTimedJobs,
  nextRun,
  pruneDoneJobsAcrossTenants,
  runClaimedJobs,
  runDueJobsOnce,
  scheduleJob,
  type JobDeps,
  type RunJobsOptions,
} from '../src/index.ts';
import { ownerTenant } from './harness.ts';

const pools: Db[] = [];
/** A connection pool of its own, as a second worker process would have. */
const separatePool = () => {
  const db = createDb({ url: inject('databaseUrl'), poolSize: 4 });
  pools.push(db);
  return db;
};
afterAll(async () => {
  await Promise.all(pools.map((db) => db.$disconnect()));
});

/** A job kind of this test only (so runners of other tests never claim its jobs): writes an audit row per run. */
function auditingKind(behaviour: (deps: JobDeps) => Promise<void> | void = () => undefined) {
  const kind = `test.${randomBytes(4).toString('hex')}`;
  return defineJobKind({
    kind,
    label: 'Test',
    payload: z.strictObject({ n: z.number().int().optional() }),
    async run(deps) {
      await deps.tx.auditLog.create({ data: { tenantId: deps.tenantId, action: 'test.job_ran', entityType: 'timed_job', entityId: deps.job.id, data: { attempt: deps.job.attempt } } });
      await behaviour(deps);
      return deps.job.attempt;
    },
  });
}

const runsOf = (db: Db, tenantId: string) =>
  withTenant(db, tenantId, (tx) => tx.auditLog.groupBy({ by: ['entityId'], where: { tenantId, action: 'test.job_ran' }, _count: true }));
const jobsOf = (db: Db, tenantId: string, kind: string) =>
  withTenant(db, tenantId, (tx) => tx.timedJob.findMany({ where: { kind }, orderBy: { key: 'asc' } }));

describe('the next run of a recurring job', () => {
  it('runs hourly at the top of each hour, an hour apart across both changes of time in Paris', () => {
    expect(nextRun('hourly', new Date('2026-03-29T00:59:59Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(nextRun('hourly', new Date('2026-03-29T01:00:00Z')).toISOString()).toBe('2026-03-29T02:00:00.000Z');
    expect(nextRun('hourly', new Date('2026-10-25T00:30:00Z')).toISOString()).toBe('2026-10-25T01:00:00.000Z');
  });

  it('runs daily at 06:00 Paris time: 05:00 UTC in winter, 04:00 UTC in summer, on the days of the change too', () => {
    const runs = (from: string, count: number) => {
      const out: string[] = [];
      let at = new Date(from);
      for (let i = 0; i < count; i++) out.push((at = nextRun('daily 06:00', at)).toISOString());
      return out;
    };
    expect(runs('2026-03-27T12:00:00Z', 3)).toEqual(['2026-03-28T05:00:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z']);
    expect(runs('2026-10-24T12:00:00Z', 3)).toEqual(['2026-10-25T05:00:00.000Z', '2026-10-26T05:00:00.000Z', '2026-10-27T05:00:00.000Z']);
    // From just before 06:00 in Paris the same day, just after it the next day.
    expect(nextRun('daily 06:00', new Date('2026-07-01T03:59:00Z')).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(nextRun('daily 06:00', new Date('2026-07-01T04:00:00Z')).toISOString()).toBe('2026-07-02T04:00:00.000Z');
  });

  it('moves a wall time the spring change skips by the gap, and runs one the autumn change repeats once, at the first', () => {
    // 29 March 2026: 02:00 → 03:00, 02:30 does not exist; it runs at 03:30 CEST.
    expect(nextRun('daily 02:30', new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: 03:00 → 02:00, 02:30 happens twice; the first is 00:30 UTC, and the next run is the next day.
    const first = nextRun('daily 02:30', new Date('2026-10-24T12:00:00Z'));
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(nextRun('daily 02:30', first).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('runs monthly on the given day, and refuses rules it does not know', () => {
    expect(nextRun('monthly 5 06:00', new Date('2026-03-05T05:00:00Z')).toISOString()).toBe('2026-04-05T04:00:00.000Z');
    expect(nextRun('monthly 5 06:00', new Date('2026-03-04T12:00:00Z')).toISOString()).toBe('2026-03-05T05:00:00.000Z');
    for (const rule of ['weekly', 'daily 6:00', 'daily 24:00', 'monthly 31 06:00', '']) expect(() => nextRun(rule, new Date())).toThrow(/unknown recurrence/);
  });
});

describe('scheduling a job', () => {
  it('is idempotent on (tenant, kind, key): scheduling again moves the date and replaces the payload', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'invoice-1', runAt: new Date('2027-01-05T05:00:00Z'), payload: { n: 1 } }));
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'invoice-1', runAt: new Date('2027-02-05T05:00:00Z'), payload: { n: 2 } }));
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'invoice-2', runAt: new Date('2027-01-05T05:00:00Z') }));
    const jobs = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
    expect(jobs.map((j) => ({ key: j.key, runAt: j.runAt.toISOString(), payload: j.payload, state: j.state }))).toEqual([
      { key: 'invoice-1', runAt: '2027-02-05T05:00:00.000Z', payload: { n: 2 }, state: 'scheduled' },
      { key: 'invoice-2', runAt: '2027-01-05T05:00:00.000Z', payload: {}, state: 'scheduled' },
    ]);
  });

  it('commits with the business change that schedules it, and needs a tenant transaction', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    await expect(
      t.run(async ({ tx }) => {
        await scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date() });
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(await jobsOf(t.auth.db, t.owner.tenantId, kind.kind)).toEqual([]);
    // No tenant set: refused (not a job of no one, or of every tenant).
    await expect(withSystem(t.auth.db, (tx) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date() }))).rejects.toThrow();
    await expect(t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date(), recurrence: 'weekly' }))).rejects.toThrow(/unknown recurrence/);
  });

  it('keeps each tenant’s jobs to itself (row-level security)', async () => {
    const [a, b] = await Promise.all([ownerTenant(), ownerTenant()]);
    const kind = auditingKind();
    await a.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'same-key', runAt: new Date('2027-01-01T00:00:00Z') }));
    await b.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'same-key', runAt: new Date('2028-01-01T00:00:00Z') }));
    // B sees its own job only, even when it asks for A's rows, and cannot change A's.
    const seenByB = await b.run(({ tx }) => tx.timedJob.findMany({ where: { kind: kind.kind } }));
    expect(seenByB.map((j) => [j.tenantId, j.runAt.toISOString()])).toEqual([[b.owner.tenantId, '2028-01-01T00:00:00.000Z']]);
    expect(await b.run(({ tx }) => tx.timedJob.count({ where: { tenantId: a.owner.tenantId } }))).toBe(0);
    expect(await b.run(({ tx }) => tx.timedJob.updateMany({ where: { tenantId: a.owner.tenantId }, data: { runAt: new Date() } }))).toEqual({ count: 0 });
    await expect(b.run(({ tx }) => tx.timedJob.create({ data: { tenantId: a.owner.tenantId, kind: kind.kind, key: 'planted', runAt: new Date() } }))).rejects.toThrow();
    const listed = await b.run((deps) => listTimedJobs(deps));
    expect(listed.filter((j) => j.kind === kind.kind)).toEqual([expect.objectContaining({ key: 'same-key', nextRunAt: '2028-01-01T00:00:00.000Z', state: 'scheduled' })]);
    expect((await jobsOf(a.auth.db, a.owner.tenantId, kind.kind)).map((j) => j.runAt.toISOString())).toEqual(['2027-01-01T00:00:00.000Z']);
  });
});

function runner(db: Db, kinds: RunJobsOptions['kinds'], now: () => Date, extra: Partial<RunJobsOptions> = {}): RunJobsOptions {
  return { db, kinds, now, workerId: `test-${randomBytes(4).toString('hex')}`, ...extra };
}

describe('running due jobs', () => {
  it('runs each job exactly once when two workers with their own pools race for them', async () => {
    const tenants = await Promise.all([ownerTenant(), ownerTenant(), ownerTenant()]);
    const kind = auditingKind(async () => {
      if (Math.random() < 0.3) await new Promise((resolve) => setTimeout(resolve, 2));
    });
    const due = new Date(Date.now() - 60_000);
    for (const t of tenants) {
      await t.run(async ({ tx }) => {
        for (let i = 0; i < 100; i++) await scheduleJob(tx, { kind: kind.kind, key: `job-${i}`, runAt: due, payload: { n: i } });
      });
    }
    const drain = async (options: RunJobsOptions) => {
      let ran = 0;
      for (;;) {
        const results = await runDueJobsOnce(options);
        if (results.length === 0) return ran;
        ran += results.filter((r) => r.outcome === 'succeeded').length;
      }
    };
    const now = () => new Date();
    const [first, second] = await Promise.all([
      drain(runner(separatePool(), [kind], now, { batchSize: 15, jobsPerTransaction: 7 })),
      drain(runner(separatePool(), [kind], now, { batchSize: 15, jobsPerTransaction: 7 })),
    ]);
    expect(first + second).toBe(300);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    for (const t of tenants) {
      const runs = await runsOf(t.auth.db, t.owner.tenantId);
      expect(runs).toHaveLength(100);
      expect(runs.every((r) => r._count === 1)).toBe(true);
      const jobs = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
      expect(jobs.every((j) => j.state === 'done' && j.lastOutcome === 'succeeded' && j.lockedBy === null && j.attempts === 1)).toBe(true);
    }
  });

  it('lets another worker take a job whose claim expired; the first worker then finds it gone and runs nothing', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    let clock = new Date('2030-01-01T10:00:00Z');
    const now = () => clock;
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date('2030-01-01T09:00:00Z') }));
    const slow = runner(separatePool(), [kind], now, { leaseMs: 30_000 });
    const other = runner(separatePool(), [kind], now, { leaseMs: 30_000 });
    const claimedBySlow = await claimDueJobsAcrossTenants(slow);
    expect(claimedBySlow.map((j) => j.key)).toEqual(['k']);
    // Within the lease nobody else takes it.
    expect(await claimDueJobsAcrossTenants(other)).toEqual([]);
    clock = new Date('2030-01-01T10:00:31Z');
    const claimedByOther = await claimDueJobsAcrossTenants(other);
    expect(claimedByOther.map((j) => ({ key: j.key, attempts: j.attempts }))).toEqual([{ key: 'k', attempts: 2 }]);
    expect(await runClaimedJobs(claimedBySlow, slow)).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    expect(await runClaimedJobs(claimedByOther, other)).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
    expect(await runsOf(t.auth.db, t.owner.tenantId)).toEqual([expect.objectContaining({ _count: 1 })]);
    const [job] = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
    expect(job).toMatchObject({ state: 'done', lastOutcome: 'succeeded', lastError: null, attempts: 2 });
  });

  it('retries a failing job with backoff, rolls back each failed attempt’s work, and records the last error and attempts', async () => {
    const t = await ownerTenant();
    let failuresLeft = 2;
    const kind = auditingKind(() => {
      if (failuresLeft-- > 0) throw new Error('the bank did not answer');
    });
    let clock = new Date('2030-02-01T10:00:00Z');
    const options = runner(separatePool(), [kind], () => clock);
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: clock }));
    const job = async () => (await jobsOf(t.auth.db, t.owner.tenantId, kind.kind))[0]!;

    expect(await runDueJobsOnce(options)).toEqual([expect.objectContaining({ outcome: 'failed', error: 'Error: the bank did not answer' })]);
    expect(await job()).toMatchObject({ state: 'scheduled', attempts: 1, lastOutcome: 'failed', lastError: 'Error: the bank did not answer', lockedBy: null });
    expect((await job()).runAt.toISOString()).toBe(new Date(clock.getTime() + backoffMs(1)).toISOString());
    expect(backoffMs(1)).toBe(30_000);
    clock = new Date('2030-02-01T10:00:20Z'); // not yet
    expect(await runDueJobsOnce(options)).toEqual([]);
    clock = new Date('2030-02-01T10:00:30Z');
    expect(await runDueJobsOnce(options)).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect((await job()).runAt.toISOString()).toBe('2030-02-01T10:01:30.000Z'); // 60 s after the second attempt
    clock = new Date('2030-02-01T10:01:30Z');
    expect(await runDueJobsOnce(options)).toEqual([expect.objectContaining({ outcome: 'succeeded', value: 3 })]);
    expect(await job()).toMatchObject({ state: 'done', attempts: 3, lastOutcome: 'succeeded', lastError: null });
    // The two failed attempts' audit rows were rolled back with them.
    expect(await runsOf(t.auth.db, t.owner.tenantId)).toEqual([expect.objectContaining({ _count: 1 })]);
  });

  it('a job failing among its tenant’s others: the group rolls back, the others run alone once each, the failure is recorded', async () => {
    const t = await ownerTenant();
    const kind = auditingKind((deps) => {
      if (deps.job.key === 'bad') throw new Error('bad job');
    });
    const clock = new Date('2030-02-15T10:00:00Z');
    await t.run(async ({ tx }) => {
      for (const key of ['a', 'b', 'bad', 'c', 'd']) await scheduleJob(tx, { kind: kind.kind, key, runAt: clock });
    });
    const results = await runDueJobsOnce(runner(separatePool(), [kind], () => clock, { jobsPerTransaction: 10 }));
    expect(results.map((r) => r.outcome).sort()).toEqual(['failed', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const runs = await runsOf(t.auth.db, t.owner.tenantId);
    expect(runs).toHaveLength(4);
    expect(runs.every((r) => r._count === 1)).toBe(true);
    const jobs = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
    expect(jobs.map((j) => [j.key, j.state, j.lastOutcome])).toEqual([
      ['a', 'done', 'succeeded'], ['b', 'done', 'succeeded'], ['bad', 'scheduled', 'failed'], ['c', 'done', 'succeeded'], ['d', 'done', 'succeeded'],
    ]);
  });

  it('gives a one-off up after its attempts, and sends a recurring job that keeps failing to its next occurrence', async () => {
    const t = await ownerTenant();
    const kind = auditingKind(() => {
      throw new Error('always');
    });
    let clock = new Date('2030-03-01T10:00:00Z');
    const options = runner(separatePool(), [kind], () => clock);
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'once', runAt: clock, maxAttempts: 2 }));
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'recurring', runAt: clock, maxAttempts: 2, recurrence: 'daily 06:00' }));
    await runDueJobsOnce(options);
    clock = new Date('2030-03-01T10:01:00Z');
    await runDueJobsOnce(options);
    const [once, recurring] = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
    expect(once).toMatchObject({ key: 'once', state: 'failed', attempts: 2, lastOutcome: 'failed', lastError: 'Error: always' });
    expect(recurring).toMatchObject({ key: 'recurring', state: 'scheduled', attempts: 0, lastOutcome: 'failed' });
    expect(recurring!.runAt.toISOString()).toBe('2030-03-02T05:00:00.000Z'); // 06:00 in Paris the next day
    clock = new Date('2030-03-05T00:00:00Z');
    expect((await runDueJobsOnce(options)).map((r) => r.id)).toEqual([recurring!.id]); // the given-up one-off stays put
  });

  it('moves a recurring job to its next run once it succeeds', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    const clock = new Date('2026-03-29T03:10:00Z'); // 05:10 in Paris on the day of the spring change
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'daily', runAt: new Date('2026-03-28T05:00:00Z'), recurrence: 'daily 06:00' }));
    expect(await runDueJobsOnce(runner(separatePool(), [kind], () => clock))).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
    const [job] = await jobsOf(t.auth.db, t.owner.tenantId, kind.kind);
    expect(job).toMatchObject({ state: 'scheduled', attempts: 0, lastOutcome: 'succeeded' });
    expect(job!.runAt.toISOString()).toBe('2026-03-29T04:00:00.000Z'); // 06:00 CEST, an hour earlier in UTC than the day before
    expect(job!.lastRunAt!.toISOString()).toBe(clock.toISOString());
  });

  it('re-scheduling a claimed job that has not started withdraws the claim: the claim runs nothing, the new date holds', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    const clock = new Date('2030-04-01T10:00:00Z');
    const options = runner(separatePool(), [kind], () => clock);
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: clock }));
    const claimed = await claimDueJobsAcrossTenants(options);
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: new Date('2030-05-01T10:00:00Z') }));
    expect(await runClaimedJobs(claimed, options)).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    expect(await jobsOf(t.auth.db, t.owner.tenantId, kind.kind)).toEqual([expect.objectContaining({ state: 'scheduled', attempts: 0, lockedBy: null })]);
    expect(await runsOf(t.auth.db, t.owner.tenantId)).toEqual([]);
  });

  it('says so when a claim expired without its worker finishing', async () => {
    const t = await ownerTenant();
    const kind = auditingKind();
    let clock = new Date('2030-06-01T10:00:00Z');
    const options = runner(separatePool(), [kind], () => clock, { leaseMs: 1_000 });
    await t.run(({ tx }) => scheduleJob(tx, { kind: kind.kind, key: 'k', runAt: clock }));
    await claimDueJobsAcrossTenants(options); // and the worker "dies"
    clock = new Date('2030-06-01T10:00:02Z');
    const again = await claimDueJobsAcrossTenants({ ...options, workerId: 'another' });
    expect(again).toHaveLength(1);
    expect((await jobsOf(t.auth.db, t.owner.tenantId, kind.kind))[0]).toMatchObject({ lastOutcome: 'failed', lastError: LEASE_EXPIRED, lockedBy: 'another' });
    await runClaimedJobs(again, { ...options, workerId: 'another' });
    expect((await jobsOf(t.auth.db, t.owner.tenantId, kind.kind))[0]).toMatchObject({ state: 'done', lastOutcome: 'succeeded', lastError: null });
  });

  it('deletes one-off jobs done more than 30 days ago, and keeps the rest', async () => {
    const t = await ownerTenant();
    const kind = auditingKind((deps) => {
      if (deps.job.key === 'bad') throw new Error('bad');
    });
    const options = runner(separatePool(), [kind], () => new Date('2031-01-01T10:00:00Z'), { jobsPerTransaction: 1 });
    await t.run(async ({ tx }) => {
      for (const key of ['old', 'bad']) await scheduleJob(tx, { kind: kind.kind, key, runAt: new Date('2031-01-01T09:00:00Z'), maxAttempts: 1 });
      await scheduleJob(tx, { kind: kind.kind, key: 'recurring', runAt: new Date('2031-01-01T09:00:00Z'), recurrence: 'hourly' });
    });
    await runDueJobsOnce(options);
    await pruneDoneJobsAcrossTenants(t.auth.db, new Date('2031-01-31T09:59:00Z')); // 29 days 23 h 59 min after
    expect((await jobsOf(t.auth.db, t.owner.tenantId, kind.kind)).map((j) => j.key)).toEqual(['bad', 'old', 'recurring']);
    await pruneDoneJobsAcrossTenants(t.auth.db, new Date('2031-01-31T10:01:00Z'));
    expect((await jobsOf(t.auth.db, t.owner.tenantId, kind.kind)).map((j) => [j.key, j.state])).toEqual([['bad', 'failed'], ['recurring', 'scheduled']]);
  });
});

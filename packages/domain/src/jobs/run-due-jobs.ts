import { errorSummary, isDatabaseUnavailable, withSystem, withTenant, type Db, type Tx } from '@crm/db';
import type { DocumentStorage } from '../documents/document-storage.ts';
import type { MailevaClient } from '../maileva/maileva-client.ts';
import type { InvoicePlatform } from '../platform/platform-port.ts';
import { jobDeps } from './job-deps.ts';
import type { JobKinds } from './job-kind.ts';
import { nextRun } from './recurrence.ts';

/** A job claimed for this worker: stamped with its id and a lease, not yet run. */
export interface ClaimedJob {
  id: string;
  tenantId: string;
  kind: string;
  key: string;
  payload: unknown;
  recurrence: string | null;
  runAt: Date;
  /** This run's attempt (counted at the claim, so a job that kills its worker runs out too). */
  attempts: number;
  maxAttempts: number;
}

export type JobResult =
  | { id: string; kind: string; tenantId: string; outcome: 'succeeded'; value: unknown }
  | { id: string; kind: string; tenantId: string; outcome: 'failed'; error: string; retryAt: Date | null }
  /** Another worker took it over (our lease expired) or it was re-scheduled meanwhile: not run here. */
  | { id: string; kind: string; tenantId: string; outcome: 'lost' };

export interface RunJobsOptions {
  db: Db;
  kinds: JobKinds;
  /** This worker's name in `locked_by` (unique per process). */
  workerId: string;
  now: () => Date;
  /** How long a claim holds before another worker may take the job (a crashed worker's). */
  leaseMs?: number;
  /** Jobs taken per claim. */
  batchSize?: number;
  /** A tenant's claimed jobs run in transactions of at most this many (one failing: each alone). */
  jobsPerTransaction?: number;
  /** Transactions run at once. */
  concurrency?: number;
  /** Document storage for the jobs that generate files (issued invoices). */
  storage?: DocumentStorage | undefined;
  /** The approved e-invoicing platform (PA_URL), for the job that follows transmitted invoices; none by default. */
  platform?: InvoicePlatform | null | undefined;
  /** Maileva, for the job that follows letters; none by default. */
  maileva?: MailevaClient | null | undefined;
}

export const LEASE_EXPIRED = 'the worker running it stopped (lease expired)';

/** Retry delay after a failed attempt: 30 s, 1 min, 2 min... at most an hour. */
export const backoffMs = (attempt: number): number => Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

interface ClaimRow {
  id: string;
  tenant_id: string;
  kind: string;
  key: string;
  payload: unknown;
  recurrence: string | null;
  run_at: Date;
  attempts: number;
  max_attempts: number;
}

/**
 * The one cross-tenant path of timed jobs (withSystem): takes up to `batchSize` due jobs of the
 * kinds this worker knows, of every tenant, that no live claim holds, skipping rows another
 * worker is claiming (SKIP LOCKED), and stamps them with this worker and a lease. It commits at
 * once; the jobs then run in their tenants' transactions (runClaimedJobs). A job whose earlier
 * claim expired says so in its last error.
 */
export async function claimDueJobsAcrossTenants(options: RunJobsOptions): Promise<ClaimedJob[]> {
  const { db, kinds, workerId, leaseMs = 120_000, batchSize = 400 } = options;
  const now = options.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await withSystem(db, (tx) =>
    tx.$queryRaw<ClaimRow[]>`
      WITH due AS (
        SELECT id FROM timed_jobs
        WHERE state = 'scheduled' AND run_at <= ${now} AND kind = ANY(${kinds.map((k) => k.kind)}::text[])
          AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY run_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      UPDATE timed_jobs j SET
        locked_by = ${workerId}, locked_until = ${leaseUntil}, attempts = j.attempts + 1,
        last_outcome = CASE WHEN j.locked_until IS NULL THEN j.last_outcome ELSE 'failed' END,
        last_error = CASE WHEN j.locked_until IS NULL THEN j.last_error ELSE ${LEASE_EXPIRED} END
      FROM due WHERE j.id = due.id
      RETURNING j.id, j.tenant_id, j.kind, j.key, j.payload, j.recurrence, j.run_at, j.attempts, j.max_attempts`,
  );
  return rows
    .map((r) => ({ id: r.id, tenantId: r.tenant_id, kind: r.kind, key: r.key, payload: r.payload, recurrence: r.recurrence, runAt: r.run_at, attempts: r.attempts, maxAttempts: r.max_attempts }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
}

/**
 * Locks the group's rows and keeps those still ours: claim not expired and taken by another
 * worker (which counts a new attempt), nor withdrawn by a re-scheduling. While the lock is held
 * no other worker can claim them (SKIP LOCKED), whatever the lease says.
 */
async function holdClaims(tx: Tx, jobs: ClaimedJob[], workerId: string): Promise<Set<string>> {
  const rows = await tx.$queryRaw<{ id: string; attempts: number }[]>`
    SELECT id, attempts FROM timed_jobs
    WHERE id = ANY(${jobs.map((j) => j.id)}::uuid[]) AND locked_by = ${workerId} AND state = 'scheduled'
    ORDER BY id
    FOR UPDATE`;
  const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
  return new Set(jobs.filter((j) => attempts.get(j.id) === j.attempts).map((j) => j.id));
}

/** Marks jobs succeeded, in one statement: a one-off is done, a recurring job moves to its next run. */
async function completeAll(tx: Tx, jobs: ClaimedJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  const next = jobs.map((j) => (j.recurrence ? nextRun(j.recurrence, now) : null));
  await tx.$executeRaw`
    UPDATE timed_jobs j SET
      state = u.state, run_at = u.run_at, attempts = u.attempts, last_outcome = 'succeeded', last_error = NULL,
      last_run_at = ${now}, locked_by = NULL, locked_until = NULL, updated_at = ${now}
    FROM unnest(${jobs.map((j) => j.id)}::uuid[], ${next.map((n) => (n ? 'scheduled' : 'done'))}::text[],
                ${jobs.map((j, i) => next[i] ?? j.runAt)}::timestamptz[], ${jobs.map((j, i) => (next[i] ? 0 : j.attempts))}::int[])
      AS u(id, state, run_at, attempts)
    WHERE j.id = u.id`;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}

/** Records a failed attempt: retried after a backoff, or given up (a one-off) / left for its next occurrence (recurring). */
async function recordFailure(tx: Tx, job: ClaimedJob, now: Date, error: string): Promise<Date | null> {
  const exhausted = job.attempts >= job.maxAttempts;
  const retryAt = exhausted ? (job.recurrence ? nextRun(job.recurrence, now) : null) : new Date(now.getTime() + backoffMs(job.attempts));
  await tx.$executeRaw`
    UPDATE timed_jobs SET
      state = ${retryAt ? 'scheduled' : 'failed'}, run_at = ${retryAt ?? job.runAt},
      attempts = ${exhausted && retryAt ? 0 : job.attempts}, last_outcome = 'failed', last_error = ${error},
      last_run_at = ${now}, locked_by = NULL, locked_until = NULL, updated_at = ${now}
    WHERE id = ${job.id}::uuid`;
  return retryAt;
}

async function runHandler(tx: Tx, job: ClaimedJob, options: RunJobsOptions, now: Date): Promise<unknown> {
  const kind = options.kinds.find((k) => k.kind === job.kind);
  if (!kind) throw new Error(`unknown job kind: ${job.kind}`);
  const payload = kind.payload.parse(job.payload);
  return kind.run(jobDeps(tx, job.tenantId, now, { id: job.id, kind: job.kind, key: job.key, attempt: job.attempts, runAt: job.runAt }, options.storage, options.platform, options.maileva), payload);
}

/**
 * A group of one tenant's jobs in one transaction: their rows locked, every handler, then their
 * completion, so each job's work and its completion commit together (exactly once). Should any
 * handler fail, the whole transaction rolls back (no work of the group is kept) and each job
 * runs again alone in its own transaction; a lone job that fails has the failure recorded in a
 * fresh transaction, its work rolled back.
 */
async function runGroup(jobs: ClaimedJob[], options: RunJobsOptions): Promise<JobResult[]> {
  const tenantId = jobs[0]!.tenantId;
  const lost = (job: ClaimedJob): JobResult => ({ id: job.id, kind: job.kind, tenantId, outcome: 'lost' });
  try {
    return await withTenant(options.db, tenantId, async (tx) => {
      const held = await holdClaims(tx, jobs, options.workerId);
      const now = options.now();
      const results: JobResult[] = [];
      const done: ClaimedJob[] = [];
      for (const job of jobs) {
        if (!held.has(job.id)) {
          results.push(lost(job));
          continue;
        }
        results.push({ id: job.id, kind: job.kind, tenantId, outcome: 'succeeded', value: await runHandler(tx, job, options, now) });
        done.push(job);
      }
      await completeAll(tx, done, now);
      return results;
    }, { timeoutMs: 60_000 });
  } catch (error) {
    if (jobs.length > 1) {
      const results: JobResult[] = [];
      for (const job of jobs) results.push(...(await runGroup([job], options)));
      return results;
    }
    const job = jobs[0]!;
    const message = isDatabaseUnavailable(error) ? `${errorText(error)} [${errorSummary(error)}]` : errorText(error);
    const result = await withTenant(options.db, tenantId, async (tx): Promise<JobResult> => {
      if ((await holdClaims(tx, [job], options.workerId)).size === 0) return lost(job);
      const retryAt = await recordFailure(tx, job, options.now(), message);
      return { id: job.id, kind: job.kind, tenantId, outcome: 'failed', error: message, retryAt };
    });
    return [result];
  }
}

/** Runs claimed jobs: grouped by tenant, `jobsPerTransaction` per transaction, `concurrency` transactions at once. */
export async function runClaimedJobs(claimed: ClaimedJob[], options: RunJobsOptions): Promise<JobResult[]> {
  const { jobsPerTransaction = 100, concurrency = 4 } = options;
  const byTenant = new Map<string, ClaimedJob[]>();
  for (const job of claimed) byTenant.set(job.tenantId, [...(byTenant.get(job.tenantId) ?? []), job]);
  const groups: ClaimedJob[][] = [];
  for (const jobs of byTenant.values()) {
    for (let i = 0; i < jobs.length; i += jobsPerTransaction) groups.push(jobs.slice(i, i + jobsPerTransaction));
  }
  const results: JobResult[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, groups.length) }, async () => {
    while (next < groups.length) {
      const group = groups[next++]!;
      results.push(...(await runGroup(group, options)));
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Claims one batch and runs it; what ran (empty: nothing was due). */
export async function runDueJobsOnce(options: RunJobsOptions): Promise<JobResult[]> {
  const claimed = await claimDueJobsAcrossTenants(options);
  return claimed.length === 0 ? [] : runClaimedJobs(claimed, options);
}

/**
 * Makes sure every organisation has its recurring jobs (insert if missing, across tenants:
 * withSystem), first due at the rule's next run after `now`. Run at start and now and then, so a
 * new organisation gets them without a hook in sign-up.
 */
export async function ensureRecurringJobsAcrossTenants(db: Db, kinds: JobKinds, now: Date): Promise<number> {
  let created = 0;
  for (const kind of kinds) {
    if (!kind.recurring) continue;
    const { key, rule, payload } = kind.recurring;
    created += await withSystem(db, (tx) => tx.$executeRaw`
      INSERT INTO timed_jobs (id, tenant_id, kind, key, payload, recurrence, run_at, max_attempts)
      SELECT crm_uuid_v7(), o.id, ${kind.kind}, ${key}, ${JSON.stringify(payload)}::jsonb, ${rule}, ${nextRun(rule, now)}, ${kind.maxAttempts ?? 5}
      FROM organisations o
      ON CONFLICT (tenant_id, kind, key) DO NOTHING`);
  }
  return created;
}

/**
 * Deletes one-off jobs done more than `days` ago, across tenants (withSystem): the operations page
 * shows recent outcomes, not years of them. Given-up jobs stay until someone looks (or re-schedules).
 */
export async function pruneDoneJobsAcrossTenants(db: Db, now: Date, days = 30): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000);
  return withSystem(db, (tx) => tx.$executeRaw`DELETE FROM timed_jobs WHERE state = 'done' AND last_run_at < ${before}`);
}

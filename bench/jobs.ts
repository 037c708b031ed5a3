import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createDb, withSystem } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import { createVerifiedAccount, hashPassword } from '@crm/domain';
import pg from 'pg';
import { stopProcess } from './harness.ts';

// `pnpm bench:jobs`: JOBS timed jobs due at once (issue 15: 100,000 in at most 60 s), run by two
// worker processes (bench/jobs-worker.ts, each a TimedJobRunner with its own pool); each job
// writes one audit row in its transaction, and the count proves each ran exactly once. Baseline
// in the same run: the same number of plain single-row UPDATEs (one per job, autocommit) from
// as many connections as the two workers use at once.
const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const TENANTS = Number(process.env.BENCH_JOB_TENANTS ?? 10);
const LIMIT_SECONDS = 60;

const database = await createTestDatabase('crm_bench_jobs');
const db = createDb({ url: database.appUrl, poolSize: 4 });
const workers: ChildProcess[] = [];
try {
  const passwordHash = await hashPassword('a bench password');
  const tenants: string[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const { tenantId } = await createVerifiedAccount({ db }, { name: 'Bench', email: `bench.${randomBytes(4).toString('hex')}@example.test`, passwordHash, organisationName: `Bench ${i}` });
    tenants.push(tenantId);
  }
  // Not due yet: the workers start first, then every job becomes due at once.
  await withSystem(db, (tx) => tx.$executeRaw`
    INSERT INTO timed_jobs (id, tenant_id, kind, key, run_at)
    SELECT crm_uuid_v7(), (${tenants}::uuid[])[1 + (n % ${TENANTS})], 'bench.job', 'job-' || n, '2100-01-01'
    FROM generate_series(1, ${JOBS}) AS n`);
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  await owner.query('VACUUM ANALYZE timed_jobs');

  // Baseline: JOBS plain UPDATEs of one row each, 8 connections (2 workers x 4 transactions at once).
  const ids = (await owner.query<{ id: string }>('SELECT id FROM timed_jobs ORDER BY id')).rows.map((r) => r.id);
  const connections = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const client = new pg.Client({ connectionString: database.appUrl });
      await client.connect();
      await client.query("SELECT set_config('app.system', 'on', false)");
      return client;
    }),
  );
  const baselineStart = performance.now();
  await Promise.all(
    connections.map(async (client, lane) => {
      for (let i = lane; i < ids.length; i += connections.length) await client.query('UPDATE timed_jobs SET updated_at = now() WHERE id = $1', [ids[i]]);
    }),
  );
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  await Promise.all(connections.map((c) => c.end()));

  const ready: Promise<void>[] = [];
  for (let i = 0; i < 2; i++) {
    // BENCH_PROFILE=<dir>: each worker writes a V8 CPU profile there when it stops.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(import.meta.dirname, 'jobs-worker.ts')], {
      cwd: import.meta.dirname,
      env: { ...process.env, DATABASE_URL: database.appUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ready.push(
      new Promise((resolve, reject) => {
        const check = setInterval(() => {
          if (out.includes('ready')) {
            clearInterval(check);
            resolve();
          }
          if (child.exitCode !== null) reject(new Error('a bench worker exited'));
        }, 50);
      }),
    );
    child.once('exit', () => process.stdout.write(`worker ${i + 1}: ${out.trim().split('\n').at(-1) ?? ''}\n`));
  }
  await Promise.all(ready);

  await owner.query("UPDATE timed_jobs SET run_at = now() WHERE kind = 'bench.job'");
  const start = performance.now();
  for (;;) {
    const { rows } = await owner.query<{ left: number }>("SELECT count(*)::int AS left FROM timed_jobs WHERE kind = 'bench.job' AND state <> 'done'");
    if (rows[0]!.left === 0) break;
    if ((performance.now() - start) / 1000 > 300) throw new Error(`${rows[0]!.left} jobs still not done after 300 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(workers.map((w) => stopProcess(w)));

  const { rows: [check] } = await owner.query<{ runs: number; distinct_jobs: number; once: number }>(`
    SELECT (SELECT count(*)::int FROM audit_logs WHERE action = 'bench.job_ran') AS runs,
           (SELECT count(DISTINCT entity_id)::int FROM audit_logs WHERE action = 'bench.job_ran') AS distinct_jobs,
           (SELECT count(*)::int FROM timed_jobs WHERE kind = 'bench.job' AND state = 'done' AND attempts = 1) AS once`);
  await owner.end();
  const exactlyOnce = check!.runs === JOBS && check!.distinct_jobs === JOBS && check!.once === JOBS;
  console.log(`timed jobs: ${JOBS} due at once over ${TENANTS} tenants, two worker processes`);
  console.log(`  run in ${seconds.toFixed(1)} s (${Math.round(JOBS / seconds)} jobs/s); limit ${LIMIT_SECONDS} s: ${seconds <= LIMIT_SECONDS ? 'met' : 'NOT MET'}`);
  console.log(`  exactly once: ${check!.runs} runs, ${check!.distinct_jobs} distinct jobs, ${check!.once} done at the first attempt: ${exactlyOnce ? 'yes' : 'NO'}`);
  console.log(`  baseline: ${JOBS} plain single-row UPDATEs on 8 connections in ${baselineSeconds.toFixed(1)} s (${Math.round(JOBS / baselineSeconds)}/s)`);
  console.log(`  ratio (jobs/s over baseline UPDATEs/s): ${(baselineSeconds / seconds).toFixed(2)}`);
  if (!exactlyOnce || seconds > LIMIT_SECONDS) process.exitCode = 1;
} finally {
  await Promise.all(workers.map((w) => stopProcess(w)));
  await db.$disconnect();
  await database.drop();
}

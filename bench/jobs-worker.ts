// One worker process of bench/jobs.ts: a TimedJobRunner with its own pool, running the bench's
// job kind (one audit row per job, in the job's transaction). Prints "ready", stops on SIGTERM.
import { createDb } from '@crm/db';
import { defineJobKind } from '@crm/domain';
import { TimedJobRunner } from '@crm/worker/timed-job-runner';
import { pino } from 'pino';
import { z } from 'zod';

const db = createDb({ url: process.env.DATABASE_URL!, poolSize: 6 });
const kind = defineJobKind({
  kind: 'bench.job',
  label: 'Bench',
  payload: z.strictObject({}),
  async run({ tx, tenantId, job }) {
    await tx.$executeRaw`INSERT INTO audit_logs (id, tenant_id, action, entity_type, entity_id) VALUES (crm_uuid_v7(), ${tenantId}::uuid, 'bench.job_ran', 'timed_job', ${job.id}::uuid)`;
  },
});
const tuning = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const runner = new TimedJobRunner({
  db,
  log: pino({ level: 'warn' }),
  kinds: [kind],
  pollMs: 50,
  // The worker's defaults unless the bench is told otherwise (to compare settings).
  batchSize: tuning('BENCH_JOB_BATCH'),
  jobsPerTransaction: tuning('BENCH_JOB_GROUP'),
  concurrency: tuning('BENCH_JOB_CONCURRENCY'),
});
runner.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runner.stop().then(async () => {
    await db.$disconnect();
    process.stdout.write(`ran ${runner.succeeded} failed ${runner.failed}\n`);
    process.exit(0);
  });
});

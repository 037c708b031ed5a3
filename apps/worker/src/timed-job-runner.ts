import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '@crm/db';
import { ensureRecurringJobsAcrossTenants, JOB_KINDS, pruneDoneJobsAcrossTenants, runDueJobsOnce, type DocumentStorage, type InvoicePlatform, type JobKinds, type MailevaClient, type RunJobsOptions } from '@crm/domain';
import type { Logger } from 'pino';

export interface TimedJobRunnerOptions {
  db: Db;
  log: Logger;
  kinds?: JobKinds | undefined;
  /** How often due jobs are looked for when none was due. */
  pollMs?: number | undefined;
  /** How often every organisation is given its missing recurring jobs (a new one's), and old done jobs are deleted. */
  recurringEveryMs?: number | undefined;
  now?: (() => Date) | undefined;
  leaseMs?: number | undefined;
  batchSize?: number | undefined;
  concurrency?: number | undefined;
  jobsPerTransaction?: number | undefined;
  /** Where jobs that generate files (issued invoices) store them. */
  storage?: DocumentStorage | undefined;
  /** The approved e-invoicing platform (PA_URL); none by default. */
  platform?: InvoicePlatform | null | undefined;
  /** Maileva (letters' reconciliation); none by default. */
  maileva?: MailevaClient | null | undefined;
}

/**
 * Runs due timed jobs (packages/domain/src/jobs): claims a batch with SKIP LOCKED, runs it in
 * tenant transactions, and goes on while jobs are due; sleeps `pollMs` otherwise. Several
 * workers share the table; a stopped worker's claimed jobs go to another once its lease ends.
 */
export class TimedJobRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  succeeded = 0;
  failed = 0;
  lastError: string | null = null;

  constructor(private readonly options: TimedJobRunnerOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the batch in hand finish (its jobs commit or roll back whole), then returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { db, log, pollMs = 1_000, recurringEveryMs = 60_000 } = this.options;
    const now = this.options.now ?? (() => new Date());
    const kinds = this.options.kinds ?? JOB_KINDS;
    const runOptions: RunJobsOptions = {
      db,
      kinds,
      workerId: this.workerId,
      now,
      leaseMs: this.options.leaseMs,
      storage: this.options.storage,
      platform: this.options.platform,
      maileva: this.options.maileva,
      batchSize: this.options.batchSize,
      concurrency: this.options.concurrency,
      jobsPerTransaction: this.options.jobsPerTransaction,
    };
    let failures = 0;
    let recurringAt = 0;
    while (this.running) {
      let ran = 0;
      try {
        if (Date.now() >= recurringAt) {
          const created = await ensureRecurringJobsAcrossTenants(db, kinds, now());
          if (created > 0) log.info({ created }, 'recurring timed jobs created');
          await pruneDoneJobsAcrossTenants(db, now());
          recurringAt = Date.now() + recurringEveryMs;
        }
        const results = await runDueJobsOnce(runOptions);
        ran = results.length;
        for (const result of results) {
          if (result.outcome === 'succeeded') this.succeeded++;
          if (result.outcome === 'failed') {
            this.failed++;
            log.warn({ jobId: result.id, kind: result.kind, tenantId: result.tenantId, retryAt: result.retryAt }, 'timed job failed');
          }
        }
        failures = 0;
        this.lastError = null;
      } catch (error) {
        failures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, failures }, 'timed job runner failed, will retry');
      }
      if (ran > 0 && failures === 0) continue; // more may be due
      const delay = failures > 0 ? Math.min(500 * 2 ** failures, 30_000) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

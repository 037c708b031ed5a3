import { recordSpanError, type Db } from '@crm/db';
import { runNextClientImport, systemClock } from '@crm/domain';
import { context, trace, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';

/**
 * Runs queued client imports in the background, one at a time per worker. Claiming is in the
 * domain (`runNextClientImport`: an advisory lock held by the import's own transaction), so
 * several workers share the queue, and an import whose worker died mid-run (its transaction
 * rolled back, lock released, status still `queued` or `running`) is picked up again here.
 */
export class ClientImportRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  lastError: string | null = null;

  constructor(private readonly options: { db: Db; log: Logger; pollMs?: number | undefined; tracer?: Tracer | undefined }) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Waits for the import in progress, if any (a hard stop rolls it back, and it runs again later). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * With tracing on, an import's run is the root span of its own trace (its client.created
   * events carry it through the outbox). A poll that found nothing leaves its span unended,
   * so it is never exported: no trace every half second.
   */
  private async traced<T>(work: () => Promise<T | null>): Promise<T | null> {
    const { tracer } = this.options;
    if (!tracer) return work();
    const span = tracer.startSpan('client import', { root: true });
    try {
      const ran = await context.with(trace.setSpan(context.active(), span), work);
      if (ran) span.end();
      return ran;
    } catch (error) {
      recordSpanError(span, error);
      span.end();
      throw error;
    }
  }

  private async run(): Promise<void> {
    const { db, log, pollMs = 500 } = this.options;
    let failures = 0;
    while (this.running) {
      try {
        const ran = await this.traced(() => runNextClientImport({ db, clock: systemClock }));
        failures = 0;
        this.lastError = null;
        if (ran) {
          const summary = { importId: ran.importId, inserted: ran.insertedRows, updated: ran.updatedRows, skipped: ran.skippedRows, dbMs: Math.round(ran.dbMs), totalMs: Math.round(ran.totalMs) };
          if (ran.outcome === 'failed') log.error({ ...summary, err: ran.error }, 'client import failed, rolled back');
          else log.info(summary, 'client import done');
          continue; // more may be waiting
        }
      } catch (error) {
        failures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, failures }, 'client import runner failed, will retry');
      }
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

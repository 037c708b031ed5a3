import { withSystem, type Db } from '@crm/db';
import type { EventEnvelope, EventType } from '@crm/domain';
import type { Logger } from 'pino';

/** Where the relay hands events: JetStream, or the in-process dispatcher. Resolves once accepted durably. */
export interface EventSink {
  publish(events: EventEnvelope[]): Promise<void>;
}

/** Something that calls back when new outbox rows may exist (LISTEN crm_outbox), or nothing. */
export interface Waker {
  onNotify(callback: () => void): unknown;
  close(): Promise<void>;
}

export interface RelayOptions {
  db: Db;
  sink: EventSink;
  log: Logger;
  waker?: Waker | undefined;
  batchSize?: number;
  /** Polling fallback when no notification comes (missed NOTIFY, listener reconnecting). */
  pollMs?: number;
}

interface OutboxRow {
  id: string;
  tenant_id: string;
  type: string;
  payload: unknown;
  occurred_at: Date;
  trace_parent: string | null;
}

/**
 * Moves committed outbox rows to the sink and marks them published. Rows are claimed with
 * FOR UPDATE SKIP LOCKED in one transaction, so several relays (worker replicas) share the
 * work without double-publishing in the normal case; a crash between publish and commit
 * publishes again, which the sink's dedup (Nats-Msg-Id) and the consumers' processed-event
 * records absorb.
 */
export class OutboxRelay {
  private running = false;
  private wake: (() => void) | null = null;
  /** A wake-up that came while a batch was running: look again before sleeping. */
  private woken = false;
  private loop: Promise<void> | null = null;
  published = 0;
  lastError: string | null = null;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    this.running = true;
    this.options.waker?.onNotify(() => {
      this.woken = true;
      this.wake?.();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Publishes what is pending now; returns how many events went out. */
  async drainOnce(): Promise<number> {
    const { db, sink, batchSize = 500 } = this.options;
    return withSystem(db, async (tx) => {
      const rows = await tx.$queryRaw<OutboxRow[]>`
        SELECT id, tenant_id, type, payload, occurred_at, trace_parent FROM outbox_events
        WHERE published_at IS NULL
        ORDER BY occurred_at, id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      await sink.publish(
        rows.map((row) => ({
          id: row.id,
          type: row.type as EventType,
          tenantId: row.tenant_id,
          occurredAt: row.occurred_at.toISOString(),
          payload: row.payload as EventEnvelope['payload'],
          ...(row.trace_parent ? { traceParent: row.trace_parent } : {}),
        })),
      );
      await tx.$executeRaw`UPDATE outbox_events SET published_at = now() WHERE id = ANY(${rows.map((r) => r.id)}::uuid[])`;
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    const { log, pollMs = 1_000 } = this.options;
    let failures = 0;
    while (this.running) {
      let count = 0;
      try {
        count = await this.drainOnce();
        this.published += count;
        failures = 0;
        this.lastError = null;
        if (count > 0) log.debug({ count }, 'outbox events published');
      } catch (error) {
        failures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, failures }, 'outbox relay failed, will retry');
      }
      if (count > 0 && failures === 0) continue; // more may be waiting
      if (this.woken && failures === 0) {
        this.woken = false;
        continue;
      }
      const delay = failures > 0 ? Math.min(200 * 2 ** failures, 5_000) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          this.woken = false;
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

import { withSystem, type Db } from '@crm/db';
import type { BoundEventHandler as EventHandler, EventEnvelope } from '@crm/domain';
import type { Logger } from 'pino';
import { deliver, type DeliveryPolicy } from './deliver.ts';
import type { EventSink } from './relay.ts';

/**
 * The transport of the embedded default (no NATS_URL): the relay hands events to the same
 * handlers in this process, with the same semantics as JetStream: each group handles each
 * event once (processed-event records), failures retry after growing delays, then go to the
 * dead letters. A crash loses nothing: on start, each group picks up the published events it
 * has not handled yet from the outbox.
 */
export class InProcessBus implements EventSink {
  private readonly queues = new Map<string, Queue>();

  constructor(db: Db, handlers: readonly EventHandler[], policy: DeliveryPolicy, log: Logger) {
    for (const handler of handlers) this.queues.set(handler.consumer, new Queue(db, handler, policy, log));
  }

  publish(events: EventEnvelope[]): Promise<void> {
    for (const queue of this.queues.values()) for (const event of events) queue.push(event, 1);
    return Promise.resolve();
  }

  /** Events published before a restart and not handled by a group yet. */
  async recover(db: Db): Promise<void> {
    for (const queue of this.queues.values()) {
      const pending = await queue.pendingFromOutbox(db);
      for (const event of pending) queue.push(event, 1);
    }
  }

  stats(): Record<string, { handled: number; queued: number }> {
    return Object.fromEntries([...this.queues].map(([name, q]) => [name, { handled: q.handled, queued: q.size }]));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.stop()));
  }
}

class Queue {
  private readonly items: { event: EventEnvelope; attempt: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | null = null;
  private stopped = false;
  handled = 0;

  constructor(
    private readonly db: Db,
    private readonly handler: EventHandler,
    private readonly policy: DeliveryPolicy,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(event: EventEnvelope, attempt: number): void {
    if (this.stopped || !this.handler.types.includes(event.type)) return;
    this.items.push({ event, attempt });
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    for (let item = this.items.shift(); item && !this.stopped; item = this.items.shift()) {
      const { event, attempt } = item;
      const settlement = await deliver(this.db, this.handler, event, attempt, this.policy, this.log);
      if (settlement.action === 'ack') this.handled++;
      if (settlement.action === 'retry') {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.push(event, attempt + 1);
        }, settlement.delayMs);
        this.timers.add(timer);
      }
    }
  }

  async pendingFromOutbox(db: Db): Promise<EventEnvelope[]> {
    const rows = await withSystem(db, (tx) =>
      tx.$queryRaw<{ id: string; tenant_id: string; type: string; payload: unknown; occurred_at: Date; trace_parent: string | null }[]>`
        SELECT o.id, o.tenant_id, o.type, o.payload, o.occurred_at, o.trace_parent FROM outbox_events o
        WHERE o.published_at IS NOT NULL AND o.type = ANY(${[...this.handler.types]}::text[])
          AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.tenant_id = o.tenant_id AND p.consumer = ${this.handler.consumer} AND p.event_id = o.id)
          AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.tenant_id = o.tenant_id AND d.consumer = ${this.handler.consumer} AND d.event_id = o.id)
        ORDER BY o.occurred_at, o.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type as EventEnvelope['type'],
      tenantId: r.tenant_id,
      occurredAt: r.occurred_at.toISOString(),
      payload: r.payload as EventEnvelope['payload'],
      ...(r.trace_parent ? { traceParent: r.trace_parent } : {}),
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }
}

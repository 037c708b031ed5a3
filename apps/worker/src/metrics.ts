import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Worker } from './worker.ts';

export interface WorkerMetricsOptions {
  /** The bearer token a scrape must send (`METRICS_TOKEN`). */
  token?: string | undefined;
  /** Without a token: open (development) or a 404 (production). */
  openWithoutToken: boolean;
}

/**
 * The worker's Prometheus metrics on its health port: JetStream consumer lag per durable consumer,
 * events published by the relay and handled per group since start, and process metrics. The
 * outgoing effects queues (depth per status, oldest queued age). The
 * outbox backlog and dead letters are the API's (`crm_outbox_*`, `crm_dead_letters`): scraped once.
 */
export function workerMetrics(worker: Worker, options: WorkerMetricsOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'crm_worker_consumer_pending_messages',
    help: 'JetStream messages per durable consumer: pending (not delivered yet) and ack_pending (delivered, not acked)',
    labelNames: ['consumer', 'event_type', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const lag of await worker.consumerLag()) {
        this.set({ consumer: lag.consumer, event_type: lag.eventType, state: 'pending' }, lag.pending);
        this.set({ consumer: lag.consumer, event_type: lag.eventType, state: 'ack_pending' }, lag.ackPending);
      }
    },
  });
  new Gauge({
    name: 'crm_worker_events_published',
    help: 'Outbox events this worker has published since it started',
    registers: [registry],
    collect() {
      this.set(worker.stats().published);
    },
  });
  new Gauge({
    name: 'crm_worker_events_handled',
    help: 'Events this worker has handled since it started, per consumer group',
    labelNames: ['consumer'] as const,
    registers: [registry],
    collect() {
      for (const [consumer, handled] of Object.entries(worker.stats().handled)) this.set({ consumer }, handled);
    },
  });
  // Outgoing effects (effects/effect-queues.ts): one query per scrape feeds both gauges.
  let effectStats: ReturnType<Worker['effectQueue']> | null = null;
  const effectQueue = () => (effectStats ??= worker.effectQueue().finally(() => setTimeout(() => (effectStats = null), 1_000).unref()));
  new Gauge({
    name: 'crm_effects',
    help: 'Outgoing effects (system and tenant mail) per queue and status: queued, sending, sent, failed, uncertain',
    labelNames: ['queue', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const stats = await effectQueue().catch(() => null); // database away: no sample (health says so)
      for (const row of stats?.depth ?? []) this.set({ queue: row.queue, status: row.status }, row.count);
    },
  });
  new Gauge({
    name: 'crm_effects_oldest_queued_seconds',
    help: 'Age of the oldest queued outgoing effect per queue (0 when none is queued)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const stats = await effectQueue().catch(() => null);
      for (const [queue, seconds] of Object.entries(stats?.oldestQueuedSeconds ?? {})) this.set({ queue }, seconds);
    },
  });

  const digest = options.token ? sha256(options.token) : undefined;
  return async (req, res) => {
    if (!digest && !options.openWithoutToken) {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (digest && !timingSafeEqual(sha256(bearer), digest)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    try {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text);
    } catch {
      res.writeHead(503).end();
    }
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

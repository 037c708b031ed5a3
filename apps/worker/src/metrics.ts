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
  timedJobMetrics(worker, registry);
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

/**
 * Timed jobs across tenants, per kind: due and not run yet, failed (given up, or whose last
 * attempt failed), the age of the oldest due job; and what this worker ran since it started.
 * One query per scrape, shared by the gauges.
 */
function timedJobMetrics(worker: Worker, registry: Registry): void {
  let sample: { at: number; value: ReturnType<Worker['timedJobs']> } | null = null;
  const read = () => {
    if (!sample || Date.now() - sample.at > 1_000) sample = { at: Date.now(), value: worker.timedJobs() };
    return sample.value;
  };
  const perKind = (name: string, help: string, pick: (b: Awaited<ReturnType<Worker['timedJobs']>>['backlog'][number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of (await read()).backlog) this.set({ kind: b.kind }, pick(b));
      },
    });
  perKind('crm_worker_timed_jobs_due', 'Timed jobs due and not run yet, per kind (every tenant)', (b) => b.due);
  perKind('crm_worker_timed_jobs_failed', 'Timed jobs given up or whose last attempt failed, per kind (every tenant)', (b) => b.failed);
  perKind('crm_worker_timed_jobs_oldest_due_seconds', 'Age of the oldest due timed job not run yet, per kind (0: none due)', (b) => b.oldestDueSeconds);
  new Gauge({
    name: 'crm_worker_timed_jobs_run',
    help: 'Timed job attempts this worker has run since it started, per outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
    async collect() {
      const { succeeded, failed } = await read();
      this.set({ outcome: 'succeeded' }, succeeded);
      this.set({ outcome: 'failed' }, failed);
    },
  });
}

import { createServer, type Server } from 'node:http';
import { safeLogger, withSystem, type Db } from '@crm/db';
import { bindHandlerDeps, EVENT_HANDLERS, handlerDepsFactory, NO_DOCUMENT_STORAGE, pruneOutbox, type DocumentStorage, type EventHandler } from '@crm/domain';
import { timedJobBacklogAcrossTenants, type InvoicePlatform, type JobBacklog, type JobKinds, type MailevaClient } from '@crm/domain';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { ClientImportRunner } from './client-import-runner.ts';
import { LetterSender, type LetterSenderOptions } from './letters/letter-sender.ts';
import { effectQueueStats, type EffectQueueDepth, type EffectQueueName } from './effects/effect-queues.ts';
import { EffectSender, type EffectSenderOptions } from './effects/effect-sender.ts';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './event-bus/deliver.ts';
import { InProcessBus } from './event-bus/in-process.ts';
import { DEFAULT_JETSTREAM_NAMES, ensureJetStream, jetStreamSink, JetStreamConsumer, type JetStreamNames } from './event-bus/jetstream.ts';
import { OutboxRelay, type Waker } from './event-bus/relay.ts';
import { workerMetrics, type WorkerMetricsOptions } from './metrics.ts';
import { rootSpan, tracedHandler, tracedSink } from './tracing.ts';
import { TimedJobRunner } from './timed-job-runner.ts';

export interface WorkerOptions {
  db: Db;
  /** Absent in the embedded default: events are then handled in process, same semantics. */
  nats: NatsConnection | null;
  log: Logger;
  /** Wakes the relay on commit (LISTEN crm_outbox); without one it polls. */
  waker?: Waker | undefined;
  handlers?: readonly EventHandler[];
  /** Handlers' document storage (HandlerDeps.storage); without one, a handler that uses it fails loudly. */
  storage?: DocumentStorage;
  /** The approved e-invoicing platform, for the timed job following transmitted invoices; none by default. */
  platform?: InvoicePlatform | null;
  /** Maileva (MAILEVA_ENV): the letter sender posts through it, the reconciliation job reads back; absent or null: letters stay queued. */
  maileva?: MailevaClient | null;
  /** The letter sender's settings (needs `maileva` and `storage`). */
  letters?: Omit<LetterSenderOptions, 'db' | 'log' | 'maileva' | 'storage'> | undefined;
  /** The handlers' clock (tests move it). */
  clock?: () => Date;
  /** The sender of outgoing effects (system and tenant mail); absent: mail stays queued. */
  effects?: Omit<EffectSenderOptions, 'db' | 'log'> | undefined;
  policy?: DeliveryPolicy;
  relayPollMs?: number;
  jetstream?: JetStreamNames;
  /** Published outbox rows older than this are deleted (0 keeps them forever). */
  outboxRetentionDays?: number;
  /** How often queued client imports are looked for. */
  importPollMs?: number;
  /** Spans for the relay, the handlers and the background jobs (tracing.ts), when tracing is on; none without. */
  tracer?: Tracer | undefined;
  /** How often due timed jobs are looked for when none was (0: this worker runs no timed jobs). */
  timedJobsPollMs?: number;
  /** The timed job kinds this worker runs (default: the registry, JOB_KINDS). */
  jobKinds?: JobKinds;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, 'ok' | 'unavailable' | 'not_configured'>;
}

export interface ConsumerLag {
  consumer: string;
  eventType: string;
  /** Messages in the stream not yet delivered to the consumer. */
  pending: number;
  /** Delivered, neither acked nor given up yet (being handled, or waiting for a retry). */
  ackPending: number;
}

export interface Worker {
  health(): Promise<HealthReport>;
  stats(): { published: number; handled: Record<string, number> };
  /** Per JetStream durable consumer (one per group and event type): its lag; empty in process. */
  consumerLag(): Promise<ConsumerLag[]>;
  /** Timed jobs across tenants, per kind (due and not run, failed, oldest due), and what this worker ran. */
  timedJobs(): Promise<{ backlog: JobBacklog[]; succeeded: number; failed: number }>;
  /** The outgoing effects queues: rows per status, the oldest queued row's age in seconds. */
  effectQueue(): Promise<{ depth: EffectQueueDepth[]; oldestQueuedSeconds: Record<EffectQueueName, number> }>;
  stop(): Promise<void>;
}

/**
 * The worker: the outbox relay, one consumer per handler group (over JetStream or in
 * process), and the client import runner. Several workers may run at once: the relay shares
 * rows with SKIP LOCKED, imports are claimed with advisory locks, JetStream shares each
 * durable consumer's messages, and processed-event records keep effects single.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { db, nats, tracer } = options;
  // Whatever logger it is given, errors reach its lines without their messages or data (log-safety.ts).
  const log = safeLogger(options.log);
  const depsFor = handlerDepsFactory({ storage: options.storage ?? NO_DOCUMENT_STORAGE, clock: options.clock ?? (() => new Date()) });
  const handlers = (options.handlers ?? EVENT_HANDLERS)
    .map((handler) => bindHandlerDeps(handler, depsFor))
    .map((handler) => (tracer ? tracedHandler(handler, tracer) : handler));
  const policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
  let stopping = false;

  const names = options.jetstream ?? DEFAULT_JETSTREAM_NAMES;
  let bus: InProcessBus | null = null;
  const consumers: JetStreamConsumer[] = [];
  if (nats) {
    await ensureJetStream(nats, handlers, names);
    for (const handler of handlers) {
      for (const type of handler.types) {
        consumers.push(new JetStreamConsumer(nats, db, handler, type, policy, log.child({ consumer: handler.consumer, eventType: type }), names));
      }
    }
    await Promise.all(consumers.map((consumer) => consumer.start()));
  } else {
    bus = new InProcessBus(db, handlers, policy, log);
    await bus.recover(db);
  }
  const sink = bus ?? jetStreamSink(nats!, names);
  const relay = new OutboxRelay({ db, sink: tracer ? tracedSink(sink, tracer) : sink, log: log.child({ component: 'relay' }), waker: options.waker, pollMs: options.relayPollMs });
  relay.start();
  const imports = new ClientImportRunner({ db, log: log.child({ component: 'client-imports' }), pollMs: options.importPollMs, tracer });
  imports.start();
  const sender = options.effects ? new EffectSender({ storage: options.storage, ...options.effects, db, tracer, log: log.child({ component: 'effects' }) }) : null;
  sender?.start();
  const letters = options.maileva && options.storage ? new LetterSender({ ...options.letters, db, maileva: options.maileva, storage: options.storage, log: log.child({ component: 'letters' }) }) : null;
  letters?.start();
  if (!letters) log.warn('no Maileva (MAILEVA_ENV=none): letters stay queued');
  if (!sender) log.warn('no mail transport (SMTP_URL unset, mail capture off): outgoing mail stays queued');

  const retentionDays = options.outboxRetentionDays ?? 7;
  const retention =
    retentionDays > 0
      ? setInterval(() => {
          void rootSpan(tracer, 'outbox retention', () => pruneOutbox(db, retentionDays)).catch((error: unknown) => log.warn({ err: error }, 'outbox retention failed'));
        }, 3_600_000).unref()
      : undefined;

  // Timed jobs (the payments pass among them, hourly per tenant): docs/decisions/0001-timed-jobs.md.
  const timedJobsPollMs = options.timedJobsPollMs ?? 1_000;
  const jobs = timedJobsPollMs > 0 ? new TimedJobRunner({ db, log: log.child({ component: 'timed-jobs' }), kinds: options.jobKinds, pollMs: timedJobsPollMs, storage: options.storage, platform: options.platform ?? null, maileva: options.maileva ?? null }) : null;
  jobs?.start();

  log.info({ transport: nats ? 'jetstream' : 'in-process', consumers: handlers.map((h) => h.consumer) }, 'worker started');
  return {
    async health() {
      const checks: HealthReport['checks'] = {
        database: await db.$queryRaw`select 1`.then(() => 'ok' as const, () => 'unavailable' as const),
        nats: nats ? await nats.flush().then(() => 'ok' as const, () => 'unavailable' as const) : 'not_configured',
        relay: relay.lastError ? 'unavailable' : 'ok',
        effects: sender ? (sender.lastError ? 'unavailable' : 'ok') : 'not_configured',
        letters: letters ? (letters.lastError ? 'unavailable' : 'ok') : 'not_configured',
      };
      const ok = !stopping && Object.values(checks).every((c) => c !== 'unavailable');
      return { status: ok ? 'ok' : 'degraded', checks };
    },
    stats() {
      const handled = bus
        ? Object.fromEntries(Object.entries(bus.stats()).map(([k, v]) => [k, v.handled]))
        : consumers.reduce<Record<string, number>>((sum, c) => ({ ...sum, [c.handler.consumer]: (sum[c.handler.consumer] ?? 0) + c.handled }), {});
      return { published: relay.published, handled };
    },
    async consumerLag() {
      const lags = await Promise.all(
        consumers.map(async (c) => {
          const lag = await c.lag().catch(() => null); // NATS away: no sample (health says so)
          return lag ? { consumer: c.handler.consumer, eventType: c.type, ...lag } : null;
        }),
      );
      return lags.filter((lag) => lag !== null);
    },
    async timedJobs() {
      return { backlog: await timedJobBacklogAcrossTenants(db, new Date()), succeeded: jobs?.succeeded ?? 0, failed: jobs?.failed ?? 0 };
    },
    effectQueue() {
      return withSystem(db, (tx) => effectQueueStats(tx));
    },
    async stop() {
      stopping = true;
      clearInterval(retention);
      await jobs?.stop();
      await relay.stop();
      await imports.stop();
      await sender?.stop();
      await letters?.stop();
      await options.letters?.waker?.close();
      await options.effects?.transport.close();
      await options.effects?.waker?.close();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await bus?.stop();
      await options.waker?.close();
      log.info('worker stopped');
    },
  };
}

/**
 * GET /health answers 200 when the worker's connections work, 503 otherwise. GET /metrics:
 * Prometheus text (metrics.ts) behind `metrics.token`, a 404 when there is none and it is not open.
 */
export function serveHealth(worker: Worker, host: string, port: number, metrics: WorkerMetricsOptions = { openWithoutToken: false }): Promise<Server> {
  const scrape = workerMetrics(worker, metrics);
  const server = createServer((req, res) => {
    if (req.url === '/metrics' && req.method === 'GET') {
      void scrape(req, res);
      return;
    }
    if (req.url !== '/health' && req.url !== '/ready') {
      res.writeHead(404).end();
      return;
    }
    void worker.health().then((report) => {
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ...report, stats: worker.stats() }));
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

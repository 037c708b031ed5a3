import { createHash, timingSafeEqual } from 'node:crypto';
import { poolUsage, type Db } from '@crm/db';
import { readEventBacklog, type EventBacklog } from '@crm/domain';
import type { ProcedureObservation } from '@crm/trpc';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export interface MetricsOptions {
  db: Db;
  log: Pick<Logger, 'warn'>;
  /** The bearer token a scrape must send (`METRICS_TOKEN`). */
  token?: string | undefined;
  /** Without a token: open (development, tests) or a 404 (production). */
  openWithoutToken: boolean;
}

export interface ApiMetrics {
  registry: Registry;
  /** For `CrmServices.observeProcedure`: one histogram sample per procedure call. */
  observeProcedure: (call: ProcedureObservation) => void;
  /** Times every request answered by an Express route (file routes, health); /trpc is timed per procedure. */
  httpTimer: RequestHandler;
  /** `GET /metrics`: Prometheus text exposition, behind the bearer token. */
  endpoint: RequestHandler;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The API's Prometheus metrics, on a registry of its own (one per app). Labels are bounded by
 * construction: a procedure's declared path, a route's pattern (`/documents/:id/download`), a
 * method, a status or error code; never a URL, an id, an input or a tenant.
 */
export function createMetrics(options: MetricsOptions): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const procedures = new Histogram({
    name: 'crm_trpc_procedure_duration_seconds',
    help: 'tRPC procedure calls by procedure path, type and outcome code (OK or the tRPC error code)',
    labelNames: ['procedure', 'type', 'code'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const http = new Histogram({
    name: 'crm_http_request_duration_seconds',
    help: 'HTTP requests answered by an Express route (file routes, health), by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });

  const { db, log } = options;
  // One aggregate query per scrape (readEventBacklog, through withSystem: counts only), shared by
  // the four gauges: the registry collects them concurrently, so each awaits the same reading.
  let reading: Promise<EventBacklog | null> | undefined;
  const readBacklog = () =>
    (reading ??= readEventBacklog(db)
      .catch((error: unknown) => {
        log.warn({ err: error }, 'metrics: event backlog unreadable');
        return null;
      })
      .finally(() => {
        reading = undefined;
      }));
  const backlogGauge = (name: string, help: string, value: (backlog: EventBacklog | null) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const backlog = await readBacklog();
        const sample = value(backlog);
        if (sample === undefined) this.reset(); // unreadable: no sample rather than a stale one (crm_event_backlog_up is 0)
        else this.set(sample);
      },
    });
  backlogGauge('crm_event_backlog_up', '1 when the outbox and dead letter counts could be read at this scrape, 0 otherwise', (b) => (b ? 1 : 0));
  backlogGauge('crm_outbox_unpublished_events', 'Outbox events not yet published by the relay (all tenants)', (b) => b?.unpublished);
  backlogGauge('crm_outbox_oldest_unpublished_age_seconds', 'Age of the oldest unpublished outbox event (0 when none)', (b) => b?.oldestUnpublishedSeconds);
  backlogGauge('crm_dead_letters', 'Dead letters not replayed yet (all tenants)', (b) => b?.deadLetters);

  const pool = new Gauge({
    name: 'crm_db_pool_connections',
    help: 'PostgreSQL pool of this process: max, total (open), idle, waiting (callers queued for a connection)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const usage = poolUsage(db);
      if (!usage) return;
      for (const state of ['max', 'total', 'idle', 'waiting'] as const) this.set({ state }, usage[state]);
    },
  });
  void pool;

  const tokenDigest = options.token ? sha256(options.token) : undefined;
  const authorised = (header: string | undefined): boolean => {
    if (!tokenDigest) return options.openWithoutToken;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return timingSafeEqual(sha256(bearer), tokenDigest);
  };

  return {
    registry,
    observeProcedure: (call) => {
      procedures.observe({ procedure: call.path, type: call.type, code: call.code }, call.seconds);
    },
    httpTimer(req, res, next) {
      if (req.path.startsWith('/trpc/') || req.path === '/trpc') return next();
      const stop = http.startTimer();
      res.once('finish', () => {
        // The matched route's pattern only; anything no route answered (web app files, 404s) is "other".
        const route = (req.route as { path?: unknown } | undefined)?.path;
        stop({ route: typeof route === 'string' ? route : 'other', method: req.method, status: String(res.statusCode) });
      });
      next();
    },
    async endpoint(req, res) {
      if (!tokenDigest && !options.openWithoutToken) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Route inconnue' } });
        return;
      }
      if (!authorised(req.header('authorization'))) {
        res.status(401).setHeader('www-authenticate', 'Bearer').json({ error: { code: 'UNAUTHORIZED', message: 'Authentification requise' } });
        return;
      }
      res.setHeader('content-type', registry.contentType).setHeader('cache-control', 'no-store');
      res.end(await registry.metrics());
    },
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

import { createServer, type Server } from 'node:http';
import type { Db } from '@crm/db';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export interface WorkerOptions {
  db: Db;
  /** Absent in the embedded default: events are then handled in process (event-backbone issue). */
  nats: NatsConnection | null;
  log: Logger;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, 'ok' | 'unavailable' | 'not_configured'>;
}

export interface Worker {
  health(): Promise<HealthReport>;
  stop(): Promise<void>;
}

/**
 * The worker process. This issue gives it its shell: connections, health and a clean stop;
 * the event-backbone issue registers the outbox relay and the consumers here.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { db, nats, log } = options;
  let stopping = false;
  log.info({ nats: nats ? 'connected' : 'in-process' }, 'worker started');
  return {
    async health() {
      const checks: HealthReport['checks'] = {
        database: await db.$queryRaw`select 1`.then(() => 'ok' as const, () => 'unavailable' as const),
        nats: nats ? await nats.flush().then(() => 'ok' as const, () => 'unavailable' as const) : 'not_configured',
      };
      const ok = !stopping && Object.values(checks).every((c) => c !== 'unavailable');
      return { status: ok ? 'ok' : 'degraded', checks };
    },
    stop() {
      stopping = true;
      log.info('worker stopped');
      return Promise.resolve();
    },
  };
}

/** GET /health answers 200 when the worker's connections work, 503 otherwise. */
export function serveHealth(worker: Worker, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/health' && req.url !== '/ready') {
      res.writeHead(404).end();
      return;
    }
    void worker.health().then((report) => {
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

import { checkAppRole, createDb, listen, safeLogger } from '@crm/db';
import { startTracing, tracingConfig } from '@crm/db/tracing';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import path from 'node:path';
import { documentStorageFromEnv, HttpPlatform, mailAccountsConfigFrom, mailevaFromEnv } from '@crm/domain';
import { readWorkerEnv } from './env.ts';
import { AccountMailSender } from './effects/account-transports.ts';
import { captureTransport, smtpTransport } from './effects/transports.ts';
import { serveHealth, startWorker } from './worker.ts';

const env = readWorkerEnv();
// Errors are logged without their messages or data (@crm/db log-safety.ts).
const log = safeLogger(pino({ name: 'worker', level: env.LOG_LEVEL }));
// Traces by OTLP when OTEL_* asks for them; otherwise nothing is set up and every span is a no-op.
const tracing = startTracing(tracingConfig(env), (message) => log.warn(message));

const db = createDb({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
await checkAppRole(db);
const nats = env.NATS_URL ? await connect({ servers: env.NATS_URL, name: 'crm-worker', maxReconnectAttempts: -1, waitOnFirstConnect: true }) : null;
if (!nats) log.warn('NATS_URL is not set: events are handled in this process (development; production requires NATS)');
const worker = await startWorker({
  db,
  nats,
  log,
  waker: listen(env.DATABASE_URL, 'crm_outbox', log),
  policy: { maxAttempts: env.EVENT_MAX_ATTEMPTS, retryBaseMs: env.EVENT_RETRY_BASE_MS },
  outboxRetentionDays: env.OUTBOX_RETENTION_DAYS,
  jetstream: { stream: env.EVENTS_STREAM, subjectPrefix: env.EVENTS_SUBJECT_PREFIX },
  tracer: tracing?.tracer,
  platform: env.PA_URL && env.PA_API_KEY ? new HttpPlatform(env.PA_URL, env.PA_API_KEY) : null,
  maileva: mailevaFromEnv(env),
  letters: { waker: listen(env.DATABASE_URL, 'crm_effects', log), maxAttempts: env.LETTER_MAX_ATTEMPTS, retryBaseMs: env.LETTER_RETRY_BASE_MS },
  storage: await documentStorageFromEnv(env, path.resolve(import.meta.dirname, '..', '..', '..')),
  effects: env.SMTP_URL || env.MAIL_CAPTURE
    ? {
        transport: env.SMTP_URL ? smtpTransport(env.SMTP_URL, env.MAIL_FROM, { maxConnections: env.SMTP_MAX_CONNECTIONS }) : captureTransport(env.MAIL_FROM),
        // The organisations' connected accounts (Gmail, Graph, SMTP): only with the master key that decrypts their secrets.
        accountSender: env.MAIL_MASTER_KEY ? new AccountMailSender({ db, config: mailAccountsConfigFrom(env, env.WEB_ORIGIN) }) : undefined,
        waker: listen(env.DATABASE_URL, 'crm_effects', log),
        concurrency: env.SMTP_MAX_CONNECTIONS,
        leaseMs: env.EFFECT_LEASE_MS,
        maxAttempts: env.EFFECT_MAX_ATTEMPTS,
        retryBaseMs: env.EFFECT_RETRY_BASE_MS,
      }
    : undefined,
});
const health = await serveHealth(worker, env.HOST, env.WORKER_HEALTH_PORT, { token: env.METRICS_TOKEN, openWithoutToken: env.NODE_ENV !== 'production' });
log.info({ port: env.WORKER_HEALTH_PORT }, 'worker health endpoint listening');

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await worker.stop();
  await tracing?.shutdown().catch(() => undefined); // the spans of the last events
  health.close();
  await nats?.drain().catch(() => undefined);
  await db.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

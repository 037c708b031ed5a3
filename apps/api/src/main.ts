import { checkAppRole, createDb, listen } from '@crm/db';
import { startTracing, tracingConfig } from '@crm/db/tracing';
import { HttpPlatform, mailAccountsConfigFrom, MailevaFake, mailevaFromEnv } from '@crm/domain';
import { connect } from '@nats-io/transport-node';
import { createApp, type ReadinessCheck } from './app.ts';
import { documentServicesFromEnv } from './document-storage.ts';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { serveUntilSignal } from './serve.ts';
import { buildServices, notificationSignalFrom } from './services.ts';

// The API as its own process, on a real PostgreSQL (and NATS when NATS_URL is set).
const env = readEnv();
const log = createLogger(env.LOG_LEVEL);
// Traces by OTLP when OTEL_* asks for them; otherwise nothing is set up and every span is a no-op.
const tracing = startTracing(tracingConfig(env), (message) => log.warn(message));
const db = createDb({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
await checkAppRole(db);
const nats = env.NATS_URL ? await connect({ servers: env.NATS_URL, name: 'crm-api', maxReconnectAttempts: -1, waitOnFirstConnect: true }) : null;

const readiness: ReadinessCheck[] = [{ name: 'database', check: async () => void (await db.$queryRaw`select 1`) }];
if (nats) readiness.push({ name: 'nats', check: () => nats.flush() });

// Letters: Maileva's webhook; in the embedded default (MAILEVA_ENV=fake) the local fake is served
// here too, its notifications called back on this very API.
const maileva = mailevaFromEnv(env);
const fakeMaileva =
  env.MAILEVA_ENV === 'fake' && env.MAILEVA_FAKE_URL
    ? {
        baseUrl: env.MAILEVA_FAKE_URL,
        fake: new MailevaFake({
          stepMs: env.MAILEVA_FAKE_STEP_MS,
          ...(env.MAILEVA_CLIENT_ID ? { clientId: env.MAILEVA_CLIENT_ID } : {}),
          ...(env.MAILEVA_CLIENT_SECRET ? { clientSecret: env.MAILEVA_CLIENT_SECRET } : {}),
          ...(env.MAILEVA_USERNAME ? { username: env.MAILEVA_USERNAME } : {}),
          ...(env.MAILEVA_PASSWORD ? { password: env.MAILEVA_PASSWORD } : {}),
          webhookUrl: env.MAILEVA_WEBHOOK_SECRET ? `http://127.0.0.1:${env.PORT}/webhooks/maileva/${env.MAILEVA_WEBHOOK_SECRET}` : undefined,
        }),
      }
    : null;

const notifications = listen(env.DATABASE_URL, 'crm_notifications', log);
const app = createApp({
  services: buildServices({
    db,
    jwtSecret: env.JWT_SECRET,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    appUrl: env.WEB_ORIGIN,
    mailCapture: env.MAIL_CAPTURE,
    notificationSignal: notificationSignalFrom((callback) => notifications.onNotify(callback)),
    documents: await documentServicesFromEnv(env),
    importMaxBytes: env.IMPORT_MAX_BYTES,
    platform: env.PA_URL && env.PA_API_KEY ? new HttpPlatform(env.PA_URL, env.PA_API_KEY) : null,
    mailAccounts: mailAccountsConfigFrom(env, env.WEB_ORIGIN),
  }),
  log,
  readiness,
  webOrigin: env.WEB_ORIGIN,
  secureCookies: env.NODE_ENV === 'production',
  webDist: env.WEB_DIST,
  trustProxy: env.TRUST_PROXY,
  metrics: { token: env.METRICS_TOKEN, openWithoutToken: env.NODE_ENV !== 'production' },
  tracer: tracing?.tracer,
  maileva: maileva ? { maileva, webhookSecret: env.MAILEVA_WEBHOOK_SECRET ?? null, fake: fakeMaileva } : undefined,
});
if (!env.PA_URL) log.info('PA_URL is not set: no approved e-invoicing platform, invoices are not transmitted (submitting answers "aucune plateforme configurée")');
if (env.MAIL_CAPTURE) {
  log.warn('MAIL_CAPTURE is on: account mail (with sign-in links) is not sent but readable by anyone in the web app; set MAIL_CAPTURE=false or NODE_ENV=production on a shared server');
}
await serveUntilSignal(() => app.listen(env.PORT, env.HOST), log, async () => {
  await fakeMaileva?.fake.close();
  await notifications.close();
  await nats?.drain();
  await db.$disconnect();
  await tracing?.shutdown().catch(() => undefined); // the spans of the last requests
});
log.info({ port: env.PORT }, 'api listening');

import { DATABASE_URL_REQUIRED, withLegacyDatabaseUrl } from '@crm/db/database-url';
import { checkDocumentStorageEnv, checkMailevaEnv, DOCUMENT_STORAGE_ENV, MAIL_ACCOUNTS_ENV, MAILEVA_ENV } from '@crm/domain';
import { z } from 'zod';

/** OTEL_* set to an empty string (a compose file's `${VAR:-}`) count as unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

/** The worker's configuration, validated once at start; the only file that reads process.env. */
const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string({ error: DATABASE_URL_REQUIRED })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  // Without NATS (development, the embedded default) the relay hands events to the handlers in
  // this process, with the same semantics; production requires it (checked below).
  NATS_URL: z.string().regex(/^(nats|tls):\/\//, 'must be a nats:// URL').optional(),
  EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  EVENT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  EVENTS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('CRM_EVENTS'),
  EVENTS_SUBJECT_PREFIX: z.string().regex(/^[a-z0-9_.-]+$/).default('crm.events'),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  // GET /metrics on the health port takes `Authorization: Bearer <METRICS_TOKEN>`; unset: open outside production, a 404 in production.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  HOST: z.string().default('127.0.0.1'),
  // Outgoing mail: SMTP_URL (smtp:// or smtps://, e.g. smtp://user:pass@mail.example.com:587) when
  // set; otherwise, with mail capture (on unless NODE_ENV=production), nothing leaves the machine
  // and the web app shows the mail ("Courriers envoyés"); with neither, mail stays queued.
  SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.string().min(3).default('CRM <no-reply@crm.localhost>'),
  MAIL_CAPTURE: z.enum(['true', 'false'], 'must be true or false').optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  // The users' own mail accounts (MAIL_MASTER_KEY, GOOGLE_OAUTH_*, MICROSOFT_OAUTH_*, GMAIL_API_URL, GRAPH_API_URL): as the API's.
  ...MAIL_ACCOUNTS_ENV,
  WEB_ORIGIN: z.string().url('must be the web app origin, e.g. http://localhost:5173').default('http://localhost:5173'),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  EFFECT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  EFFECT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  // A claimed message not recorded within this time is reaped: due again (capture) or 'uncertain' (SMTP).
  EFFECT_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  // Where documents live: the same place as the API's (DOCUMENTS_STORAGE, DOCUMENTS_DIR,
  // DOCUMENTS_S3_*): the worker stores signed contract PDFs and reads mail attachments there.
  ...DOCUMENT_STORAGE_ENV,
  // The approved e-invoicing platform the hourly job asks for transmitted invoices' statuses (as the API's); unset: none.
  PA_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'must be the platform API URL' }).optional()),
  PA_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(8, 'must be at least 8 characters').optional()),
  // Letters through Maileva (MAILEVA_ENV none | fake | sandbox | production and its account; README): the worker posts and reconciles them.
  ...MAILEVA_ENV,
  LETTER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  LETTER_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // OpenTelemetry traces (@crm/db/tracing): on when an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp is set; empty counts as unset.
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().min(1).default('crm-worker')),
  OTEL_TRACES_EXPORTER: unsetIfEmpty(z.enum(['otlp', 'none'], 'must be otlp or none').optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be the collector URL, e.g. http://127.0.0.1:4318' }).optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be the traces URL, e.g. http://127.0.0.1:4318/v1/traces' }).optional()),
  OTEL_EXPORTER_OTLP_HEADERS: unsetIfEmpty(z.string().optional()),
  OTEL_SDK_DISABLED: unsetIfEmpty(z.enum(['true', 'false'], 'must be true or false').optional()),
}).superRefine((env, ctx) => {
  checkDocumentStorageEnv(env, ctx);
  checkMailevaEnv(env, ctx);
});
export type WorkerEnv = z.infer<typeof ZEnv> & { MAIL_CAPTURE: boolean };

export function parseWorkerEnv(source: NodeJS.ProcessEnv): WorkerEnv {
  const result = ZEnv.safeParse(withLegacyDatabaseUrl(source));
  const lines = result.success ? [] : result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  if (source.NODE_ENV === 'production' && !source.NATS_URL) lines.push('  - NATS_URL: required when NODE_ENV=production, e.g. nats://127.0.0.1:4222');
  if (result.success && lines.length === 0) return { ...result.data, MAIL_CAPTURE: result.data.MAIL_CAPTURE ?? result.data.NODE_ENV !== 'production' };
  throw new Error(`Invalid environment for the worker:\n${lines.join('\n')}`);
}

// eslint-disable-next-line no-restricted-properties -- the one place env is read
export const readWorkerEnv = (): WorkerEnv => parseWorkerEnv(process.env);

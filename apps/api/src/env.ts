import { DATABASE_URL_REQUIRED, withLegacyDatabaseUrl } from '@crm/db/database-url';
import { checkDocumentStorageEnv, checkMailevaEnv, DOCUMENT_STORAGE_ENV, MAIL_ACCOUNTS_ENV, MAILEVA_ENV } from '@crm/domain';
import { z } from 'zod';
import { ZTrustProxy } from './trust-proxy.ts';

/** OTEL_* set to an empty string (a compose file's `${VAR:-}`) count as unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * The API's configuration, read and validated once at start. This is the only file that reads
 * process.env; a missing or malformed variable stops the start with one line per problem.
 */
const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string({ error: DATABASE_URL_REQUIRED })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  NATS_URL: z.string().regex(/^(nats|tls):\/\//, 'must be a nats:// URL').optional(),
  JWT_SECRET: z
    .string({ error: 'required: at least 32 random characters (e.g. `openssl rand -base64 48`)' })
    .min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().default('crm-api'),
  JWT_AUDIENCE: z.string().default('crm-web'),
  WEB_ORIGIN: z.string().url('must be the web app origin, e.g. http://localhost:5173').default('http://localhost:5173'),
  WEB_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: ZTrustProxy,
  // GET /metrics takes `Authorization: Bearer <METRICS_TOKEN>`; unset: open outside production, a 404 in production.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // System mail shown in the web app ("Courriers envoyés") instead of being sent: on unless NODE_ENV=production.
  MAIL_CAPTURE: z.enum(['true', 'false'], 'must be true or false').optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  // The users' own mail accounts: MAIL_MASTER_KEY (32 bytes base64) encrypts their secrets; each
  // provider is offered once its client id is set (README, "Mail accounts").
  ...MAIL_ACCOUNTS_ENV,
  // Documents: on the local disk (DOCUMENTS_DIR, ./data/documents in the repository by default) or in an S3-compatible bucket.
  ...DOCUMENT_STORAGE_ENV,
  DOCUMENTS_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024').max(100 * 1024 * 1024, 'must be at most 104857600 (100 MB)').default(10 * 1024 * 1024),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024').max(1024 * 1024 * 1024, 'must be at most 1073741824 (1 GB)').default(100 * 1024 * 1024),
  // The approved e-invoicing platform (Plateforme Agréée): unset (the embedded default) = none, submitting answers "aucune plateforme configurée".
  PA_URL: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be the platform API URL, e.g. https://pa.example.fr/api' }).optional()),
  PA_API_KEY: unsetIfEmpty(z.string().min(8, 'must be at least 8 characters').optional()),
  // Letters through Maileva (README): MAILEVA_ENV none | fake | sandbox | production, its account, MAILEVA_WEBHOOK_SECRET for the callback.
  ...MAILEVA_ENV,
  // The local fake's pace (MAILEVA_ENV=fake): one status step per this many milliseconds.
  MAILEVA_FAKE_STEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(20_000),
  // OpenTelemetry traces (@crm/db/tracing): on when an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp is set; empty counts as unset.
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().min(1).default('crm-api')),
  OTEL_TRACES_EXPORTER: unsetIfEmpty(z.enum(['otlp', 'none'], 'must be otlp or none').optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be the collector URL, e.g. http://127.0.0.1:4318' }).optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be the traces URL, e.g. http://127.0.0.1:4318/v1/traces' }).optional()),
  OTEL_EXPORTER_OTLP_HEADERS: unsetIfEmpty(z.string().optional()),
  OTEL_SDK_DISABLED: unsetIfEmpty(z.enum(['true', 'false'], 'must be true or false').optional()),
}).superRefine((env, ctx) => {
  checkDocumentStorageEnv(env, ctx);
  checkMailevaEnv(env, ctx);
  if (env.MAILEVA_ENV === 'fake' && env.NODE_ENV === 'production') ctx.addIssue({ code: 'custom', path: ['MAILEVA_ENV'], message: 'the local fake is not for production' });
  if (env.PA_URL && !env.PA_API_KEY) ctx.addIssue({ code: 'custom', path: ['PA_API_KEY'], message: 'required when PA_URL is set' });
}).transform((env) => ({ ...env, MAIL_CAPTURE: env.MAIL_CAPTURE ?? env.NODE_ENV !== 'production' }));
export type Env = z.infer<typeof ZEnv>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = ZEnv.safeParse(withLegacyDatabaseUrl(source));
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment for the API:\n${lines.join('\n')}`);
}

// eslint-disable-next-line no-restricted-properties -- the one place env is read
export const readEnv = (): Env => parseEnv(process.env);

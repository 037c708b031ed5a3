/**
 * The predecessor configured its database with DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD and
 * DB_DATABASE. Every process (API, worker, migrations, seed) accepts them when DATABASE_URL is
 * unset; this is the one place that turns them into a URL. Plain TypeScript with no imports, so
 * prisma.config.ts can use it too.
 */
export const LEGACY_DB_VARIABLES = ['DB_HOST', 'DB_PORT', 'DB_USERNAME', 'DB_PASSWORD', 'DB_DATABASE'] as const;

type Source = Record<string, string | undefined>;

/** The URL the DB_* variables describe, or undefined when DB_HOST is unset. */
export function legacyDatabaseUrl(source: Source, defaultUser = 'crm_app'): string | undefined {
  if (!source.DB_HOST) return undefined;
  const user = encodeURIComponent(source.DB_USERNAME ?? defaultUser);
  const password = source.DB_PASSWORD ? `:${encodeURIComponent(source.DB_PASSWORD)}` : '';
  const host = source.DB_HOST.includes(':') && !source.DB_HOST.startsWith('[') ? `[${source.DB_HOST}]` : source.DB_HOST;
  return `postgresql://${user}${password}@${host}:${source.DB_PORT ?? '5432'}/${encodeURIComponent(source.DB_DATABASE ?? 'crm')}`;
}

/** `source` with DATABASE_URL filled from the DB_* variables when it is unset and they are given. */
export function withLegacyDatabaseUrl<T extends Source>(source: T): T {
  if (source.DATABASE_URL) return source;
  const url = legacyDatabaseUrl(source);
  return url ? { ...source, DATABASE_URL: url } : source;
}

/** The message of a missing DATABASE_URL, the same in every process. */
export const DATABASE_URL_REQUIRED =
  'required: connection string of the application role crm_app, e.g. postgresql://crm_app:<password>@127.0.0.1:5432/crm ' +
  '(or the predecessor DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE)';

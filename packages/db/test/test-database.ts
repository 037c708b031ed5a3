import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const DB_PACKAGE = path.resolve(import.meta.dirname, '..');

export interface TestDatabase {
  name: string;
  /** Owner connection (migrations, catalog checks). Never give this to application code. */
  ownerUrl: string;
  /** The application role, under row-level security. */
  appUrl: string;
  drop(): Promise<void>;
}

/** Where the test PostgreSQL server is: TEST_PG_URL, or the local server with trust auth. */
export function serverUrl(): string {
  return process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

/**
 * A uniquely named database, migrated with the real Prisma CLI (`prisma migrate deploy`, through
 * the offline schema engine), so the tests exercise the same path as a deployment. Another
 * client may share the cluster: names never collide and the database is dropped afterwards.
 */
export async function createTestDatabase(prefix = 'crm_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const ownerUrl = withDatabase(serverUrl(), name);
  await migrateOneAtATime(ownerUrl);
  return {
    name,
    ownerUrl,
    appUrl: withDatabase(serverUrl(), name, 'crm_app'),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Any number that the CRM's tests alone use as an advisory lock key. */
const MIGRATION_LOCK = 7_310_427_001;

/**
 * Migrations grant to the cluster-wide application role: two of them at once on one server fail
 * with "tuple concurrently updated" in pg_authid. Test files run in parallel and some make their
 * own database, so migrations take turns under an advisory lock held in the `postgres` database
 * (advisory locks are per database; every cluster has that one).
 */
async function migrateOneAtATime(ownerUrl: string): Promise<void> {
  const lock = new pg.Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await run(path.join(DB_PACKAGE, 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
      cwd: DB_PACKAGE,
      env: { ...process.env, DATABASE_URL: ownerUrl, MIGRATE_DATABASE_URL: ownerUrl },
      timeout: 120_000,
    });
  } finally {
    await lock.end(); // ending the session releases the lock
  }
}

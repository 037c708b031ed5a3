import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createDbFromAdapter, type Db } from './client.ts';
import { applyMigrations } from './migrate.ts';
import { APP_ROLE } from './roles.ts';

export interface EmbeddedDb {
  db: Db;
  /** LISTEN on a channel of the embedded database (the outbox relay's wake-up). */
  listen: (channel: string, callback: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
}

/**
 * An embedded PostgreSQL (PGlite, real PostgreSQL compiled to WASM) persisted in `dataDir`,
 * migrated, and switched to the application role so row-level security applies exactly as on
 * a server. Single-process and single-connection: for running the CRM on one's own machine,
 * not a shared deployment (any SQL could RESET ROLE).
 */
export async function openEmbeddedDb(dataDir: string): Promise<EmbeddedDb> {
  await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  await applyMigrations({
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  });
  // PGlite's default user is a superuser, which row-level security ignores.
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const db = createDbFromAdapter(new PrismaPGlite(pglite));
  return {
    db,
    listen: (channel, callback) => pglite.listen(channel, (payload) => callback(payload)),
    close: async () => {
      await db.$disconnect();
      await pglite.close();
    },
  };
}

import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the committed migrations live (the same ones `prisma migrate deploy` applies). */
export const MIGRATIONS_DIR = path.join(import.meta.dirname, '..', 'prisma', 'migrations');

export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Applies the committed migrations in order, recording them in `_prisma_migrations` exactly
 * as Prisma does (checksum = sha256 of migration.sql), so a database migrated here and one
 * migrated by `prisma migrate deploy` are indistinguishable. Used for the embedded PGlite
 * database, which the Prisma CLI cannot reach (it lives inside this process).
 */
export async function applyMigrations(runner: SqlRunner): Promise<string[]> {
  await runner.exec(`
    CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id varchar(36) PRIMARY KEY NOT NULL,
      checksum varchar(64) NOT NULL,
      finished_at timestamptz,
      migration_name varchar(255) NOT NULL,
      logs text,
      rolled_back_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(),
      applied_steps_count integer NOT NULL DEFAULT 0
    )`);
  const applied = new Set(
    (await runner.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )).map((row) => row.migration_name),
  );
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const done: string[] = [];
  for (const name of names) {
    if (applied.has(name)) continue;
    const sql = await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    await runner.exec(`BEGIN;\n${sql}\n;COMMIT;`);
    await runner.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), checksum, name],
    );
    done.push(name);
  }
  return done;
}

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from './test-database.ts';

// The real Prisma CLI, offline, through scripts/schema-engine.mjs: a new migration can be
// created and applied, and the history checked, with nothing downloaded.
const run = promisify(execFile);
const prisma = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'prisma');
const bridge = path.resolve(import.meta.dirname, '..', 'scripts', 'schema-engine.mjs');
const database = `crm_cli_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
let dir: string;

function urlOf(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await client.query<{ datname: string }>(sql);
  } finally {
    await client.end();
  }
}

const cli = (...args: string[]) =>
  run(prisma, [...args, '--config', path.join(dir, 'prisma.config.ts')], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: bridge, DATABASE_URL: urlOf(database), PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    timeout: 60_000,
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'crm-cli-'));
  await admin(`CREATE DATABASE ${database}`);
  await writeFile(
    path.join(dir, 'schema.prisma'),
    'datasource db {\n  provider = "postgresql"\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n',
  );
  await writeFile(
    path.join(dir, 'prisma.config.ts'),
    `export default { schema: ${JSON.stringify(path.join(dir, 'schema.prisma'))}, migrations: { path: ${JSON.stringify(path.join(dir, 'migrations'))} }, datasource: { url: process.env.DATABASE_URL } };\n`,
  );
});
afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await rm(dir, { recursive: true, force: true });
});

describe('prisma migrate, offline', () => {
  it('creates and applies a migration, then reports the history up to date, leaving no shadow database', async () => {
    const shadowsBefore = (await admin("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'")).rows;
    await cli('migrate', 'dev', '--name', 'init');
    const [migration] = (await readdir(path.join(dir, 'migrations'))).filter((name) => name.endsWith('_init'));
    expect(migration).toBeDefined();
    expect(await readFile(path.join(dir, 'migrations', migration!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Note"');

    const client = new pg.Client({ connectionString: urlOf(database) });
    await client.connect();
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
    await client.query('INSERT INTO "Note" (text) VALUES ($1)', ['migrated']);
    await client.end();
    expect(rows[0]?.n).toBe(1);

    // The engine reads CHECK constraints through pg_constraint's "char" columns (a regression once).
    const checked = new pg.Client({ connectionString: urlOf(database) });
    await checked.connect();
    await checked.query('ALTER TABLE "Note" ADD CONSTRAINT note_text_not_empty CHECK (length(text) > 0)');
    await checked.end();
    const pulled = await cli('db', 'pull', '--print');
    expect(pulled.stdout).toContain('model Note');

    const status = await cli('migrate', 'status');
    expect(status.stdout).toContain('Database schema is up to date');
    const leftovers = await admin("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'");
    expect(leftovers.rows).toEqual(shadowsBefore);
  }, 90_000);
});

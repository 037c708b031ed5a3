#!/usr/bin/env node
// Production migrations (the `migrate` container, `pnpm db:deploy`, scripts/verify-artefact.mjs):
// `prisma migrate deploy` as the owner (MIGRATE_DATABASE_URL, else DATABASE_URL, else the
// predecessor's DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD/DB_DATABASE: see prisma.config.ts), then,
// when CRM_APP_PASSWORD is set, the password of the application role crm_app, which the
// migrations create without one. Plain Node: it runs from the production artefact.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const dbPackage = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(dbPackage, 'package.json'));
const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'migrate', 'deploy'], { cwd: dbPackage, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const password = process.env.CRM_APP_PASSWORD;
if (password) {
  // The same precedence as prisma.config.ts (src/database-url.ts, which plain Node cannot import).
  const env = process.env;
  const legacy = env.DB_HOST
    ? `postgresql://${encodeURIComponent(env.DB_USERNAME ?? 'postgres')}${env.DB_PASSWORD ? `:${encodeURIComponent(env.DB_PASSWORD)}` : ''}@${env.DB_HOST}:${env.DB_PORT ?? '5432'}/${encodeURIComponent(env.DB_DATABASE ?? 'crm')}`
    : undefined;
  const url = env.MIGRATE_DATABASE_URL ?? env.DATABASE_URL ?? legacy;
  if (!url) {
    console.error('CRM_APP_PASSWORD is set but no owner connection is: set MIGRATE_DATABASE_URL (or DB_HOST...)');
    process.exit(2);
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`ALTER ROLE crm_app PASSWORD ${client.escapeLiteral(password)}`);
  await client.end();
  console.log('crm_app: password set');
}

import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { legacyDatabaseUrl } from './src/database-url.ts';

// Prisma's CLI downloads a native schema engine; this machine cannot. Unless the user
// has one (PRISMA_SCHEMA_ENGINE_BINARY), point the CLI at our bridge to Prisma's own
// WASM schema engine. See scripts/schema-engine.mjs.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, 'scripts', 'schema-engine.mjs');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'node --import tsx ../domain/src/demo/seed-cli.ts' },
  datasource: {
    // Migrations run as the owner. The apps connect as the restricted role (see src/roles.ts).
    // The predecessor's DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE work here too (DB_USERNAME: the owner).
    url: process.env.MIGRATE_DATABASE_URL ?? process.env.DATABASE_URL ?? legacyDatabaseUrl(process.env, 'postgres') ?? 'postgresql://postgres@127.0.0.1:5432/crm',
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});

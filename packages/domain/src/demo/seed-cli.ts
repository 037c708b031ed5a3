import path from 'node:path';
import { createDb } from '@crm/db';
import { DATABASE_URL_REQUIRED, withLegacyDatabaseUrl } from '@crm/db/database-url';
import { DEFAULT_MAX_DOCUMENT_BYTES, LocalDiskStorage, systemClock } from '../index.ts';
import { seedDemo } from './seed-demo.ts';

// `pnpm db:seed`: the demo organisation on the database of DATABASE_URL.
// eslint-disable-next-line no-restricted-properties -- a command-line entry point
const url = withLegacyDatabaseUrl(process.env).DATABASE_URL;
if (!url) {
  console.error(`DATABASE_URL: ${DATABASE_URL_REQUIRED}`);
  process.exit(2);
}
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..');
// The signed demo contracts' PDFs go where the API reads documents on the local disk (its default).
// eslint-disable-next-line no-restricted-properties -- a command-line entry point
const documentsDir = process.env.DOCUMENTS_DIR ?? path.join('data', 'documents');
// eslint-disable-next-line no-restricted-properties -- a command-line entry point
if (process.env.DOCUMENTS_STORAGE === 's3') {
  console.error('pnpm db:seed stores documents on the local disk only (DOCUMENTS_DIR); unset DOCUMENTS_STORAGE=s3 to seed');
  process.exit(2);
}
const db = createDb({ url, poolSize: 2 });
const result = await seedDemo({
  db,
  clock: systemClock,
  documents: { storage: new LocalDiskStorage(path.resolve(REPO_ROOT, documentsDir)), maxBytes: DEFAULT_MAX_DOCUMENT_BYTES },
});
console.log(result.created ? `Demo organisation created: ${result.email} / ${result.password}` : `Demo organisation already there (${result.email}).`);
await db.$disconnect();

import { createDb } from '@crm/db';
import { DEFAULT_AUTH_TTLS, systemClock } from '../index.ts';
import { seedDemo } from './seed-demo.ts';

// `pnpm db:seed`: the demo organisation on the database of DATABASE_URL.
// eslint-disable-next-line no-restricted-properties -- a command-line entry point
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required (the crm_app role), e.g. postgresql://crm_app@127.0.0.1:5432/crm');
  process.exit(2);
}
const db = createDb({ url, poolSize: 2 });
const result = await seedDemo({
  db,
  clock: systemClock,
  // Seeding opens no session that anyone uses: an ephemeral key is enough.
  auth: { secret: crypto.getRandomValues(new Uint8Array(32)), issuer: 'seed', audience: 'seed', ...DEFAULT_AUTH_TTLS },
});
console.log(result.created ? `Demo organisation created: ${result.email} / ${result.password}` : `Demo organisation already there (${result.email}).`);
await db.$disconnect();

import { createDb } from '@crm/db';
import { DATABASE_URL_REQUIRED, withLegacyDatabaseUrl } from '@crm/db/database-url';
import { systemClock } from '../shared/clock.ts';
import { rotateMailKeysOfAllTenants } from './rotate-mail-keys.ts';
import { mailKeyringFrom } from './secret-box.ts';

// `pnpm mail:rotate-keys [--dry-run] [--data-keys]` (README, "Mail account keys"): every tenant's
// data key wrapped again under MAIL_MASTER_KEY (unwrapped with it or one of
// MAIL_MASTER_KEY_PREVIOUS); with --data-keys, new data keys and every secret encrypted again.
// --dry-run decrypts everything and writes nothing. Prints counts, never a key or a secret.
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--dry-run' && a !== '--data-keys');
if (unknown.length > 0) {
  console.error(`usage: rotate-mail-keys [--dry-run] [--data-keys] (unknown: ${unknown.join(' ')})`);
  process.exit(2);
}
// eslint-disable-next-line no-restricted-properties -- a command-line entry point
const env = withLegacyDatabaseUrl(process.env);
if (!env.DATABASE_URL) {
  console.error(`DATABASE_URL: ${DATABASE_URL_REQUIRED}`);
  process.exit(2);
}
if (!env.MAIL_MASTER_KEY) {
  console.error('MAIL_MASTER_KEY: required, the new (or current) master key; the old one in MAIL_MASTER_KEY_PREVIOUS');
  process.exit(2);
}
const keyring = mailKeyringFrom(env.MAIL_MASTER_KEY, env.MAIL_MASTER_KEY_PREVIOUS);
const db = createDb({ url: env.DATABASE_URL, poolSize: 2 });
const report = await rotateMailKeysOfAllTenants(db, keyring, { dryRun: args.includes('--dry-run'), dataKeys: args.includes('--data-keys'), now: systemClock() });
await db.$disconnect();
console.log(
  `${report.dryRun ? 'Dry run (nothing written): ' : ''}${report.rewrapped}/${report.tenants} organisations' data keys wrapped under master key ${keyring.current.id}` +
    `${args.includes('--data-keys') ? `, ${report.reencrypted} secrets encrypted again under new data keys` : ''}.`,
);
for (const failure of report.failures) console.error(`  organisation ${failure.tenantId}: ${failure.error}`);
process.exit(report.failures.length > 0 ? 1 : 0);

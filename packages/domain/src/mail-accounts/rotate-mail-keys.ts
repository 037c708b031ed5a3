import { randomBytes } from 'node:crypto';
import { withSystem, withTenant, type Db } from '@crm/db';
import { openSecret, sealSecret, unwrapDataKey, wrapDataKey, type MailKeyring } from './secret-box.ts';

export interface MailKeyRotationReport {
  dryRun: boolean;
  tenants: number;
  /** Data keys wrapped again under the current master key. */
  rewrapped: number;
  /** Connection secrets encrypted again under a new data key (`dataKeys` only). */
  reencrypted: number;
  /** Tenants that could not be rotated (a master key missing, a secret that no longer decrypts), with why. */
  failures: { tenantId: string; error: string }[];
}

/**
 * Key rotation (docs: README, "Mail account keys"). Every tenant's data key is unwrapped with
 * the keyring (current or previous master keys) and wrapped again with the current one; with
 * `dataKeys`, each tenant also gets a new data key and its connections' secrets are encrypted
 * again under it. One transaction per tenant: a failure leaves that tenant as it was. A dry run
 * does every decryption (so it proves the keys work) and writes nothing.
 *
 * Lists the tenants across the installation (withSystem), then works in each one's own tenant
 * transaction under RLS: an operator's command (scripts/rotate-mail-keys.ts), never a request.
 */
export async function rotateMailKeysOfAllTenants(
  db: Db,
  keyring: MailKeyring,
  options: { dryRun: boolean; dataKeys: boolean; now: Date },
): Promise<MailKeyRotationReport> {
  const tenantIds = await withSystem(db, (tx) => tx.tenantMailKey.findMany({ select: { tenantId: true }, orderBy: { tenantId: 'asc' } }));
  const report: MailKeyRotationReport = { dryRun: options.dryRun, tenants: tenantIds.length, rewrapped: 0, reencrypted: 0, failures: [] };
  for (const { tenantId } of tenantIds) {
    try {
      const counts = await withTenant(db, tenantId, async (tx) => {
        const row = await tx.tenantMailKey.findUniqueOrThrow({ where: { tenantId } });
        const oldKey = unwrapDataKey(keyring, row);
        const version = options.dataKeys ? row.version + 1 : row.version;
        const newKey = options.dataKeys ? randomBytes(32) : oldKey;
        const connections = await tx.mailConnection.findMany({ where: { tenantId }, select: { id: true, userId: true, secret: true } });
        const resealed = connections.map((c) => {
          const ref = { tenantId, userId: c.userId, connectionId: c.id };
          return { id: c.id, secret: sealSecret(newKey, ref, openSecret(oldKey, ref, c.secret)) };
        });
        if (!options.dryRun) {
          await tx.tenantMailKey.update({ where: { tenantId }, data: { version, ...wrapDataKey(keyring, tenantId, version, newKey), rotatedAt: options.now } });
          if (options.dataKeys) {
            for (const c of resealed) await tx.mailConnection.update({ where: { id: c.id }, data: { secret: c.secret, keyVersion: version } });
          }
        }
        return { reencrypted: options.dataKeys ? resealed.length : 0 };
      });
      report.rewrapped++;
      report.reencrypted += counts.reencrypted;
    } catch (error) {
      report.failures.push({ tenantId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

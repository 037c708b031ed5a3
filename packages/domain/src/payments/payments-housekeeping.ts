import { withSystem, withTenant, type Db } from '@crm/db';
import { parisToday } from './dates.ts';
import { expireDormantMandates } from './mandates.ts';
import { settleUnansweredDebitsFor } from './settle-unanswered-debits.ts';

/**
 * The periodic pass the worker runs: in every tenant that has debits awaiting the bank's answer
 * or active mandates, unanswered debits past their waiting period are settled and mandates
 * unused for 36 months expire. One transaction per tenant; safe to run from several workers
 * (an item settled by one is no longer `submitted` for the other).
 */
export async function runPaymentsHousekeeping(db: Db, now: Date): Promise<{ tenants: number; settled: number; expired: number }> {
  const tenants = await withSystem(db, (tx) =>
    tx.$queryRaw<{ tenant_id: string }[]>`
      SELECT DISTINCT tenant_id FROM schedule_items WHERE status = 'submitted'
      UNION SELECT DISTINCT tenant_id FROM sepa_mandates WHERE status = 'active'`,
  );
  const today = parisToday(now);
  let settled = 0;
  let expired = 0;
  for (const { tenant_id: tenantId } of tenants) {
    await withTenant(db, tenantId, async (tx) => {
      settled += (await settleUnansweredDebitsFor(tx, tenantId, today)).settled;
      expired += await expireDormantMandates(tx, tenantId, today);
    });
  }
  return { tenants: tenants.length, settled, expired };
}

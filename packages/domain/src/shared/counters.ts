import type { Tx } from '@crm/db';

/**
 * Reserves `count` consecutive values of a per-tenant counter (contract numbers, RUMs, batch
 * numbers, EndToEndIds) in the caller's transaction and returns the first. The row
 * lock taken by the upsert serialises concurrent callers, and a value handed out is never
 * handed out again (a rolled-back transaction releases it with the lock, so it was never seen).
 */
export async function reserveCounter(tx: Tx, tenantId: string, name: string, count = 1): Promise<number> {
  const rows = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO tenant_counters (tenant_id, name, value) VALUES (${tenantId}::uuid, ${name}, ${count})
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + ${count}
    RETURNING value`;
  return rows[0]!.value - count + 1;
}

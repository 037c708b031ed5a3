import type { Prisma, Tx } from '@crm/db';
import { loadInvoice } from '../invoices/invoice-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import type { TRefreshTransmissionsInput } from './einvoicing.schema.ts';
import { FINAL_TRANSMISSION_STATUSES, PlatformError, type InvoicePlatform } from '../platform/platform-port.ts';
import { NO_PLATFORM_MESSAGE } from './submit-invoice-to-platform.ts';
import { mergeHistory } from './transmission-history.ts';
import type { HistoryEntry } from './transmission-view.ts';

const BATCH = 100;

/**
 * Asks the platform for the lifecycle of transmitted invoices not at a final status yet
 * (Rejetée, Refusée, Encaissée), least recently checked first, and records what changed: the
 * history keeps every status with its date. A platform error is kept on the row (`last_error`)
 * and the others go on. Used by `invoicing.refreshStatuses` (one invoice, or the organisation's
 * open ones); a worker may call `refreshTransmissionsIn` on a timer.
 */
export async function refreshTransmissionsIn(ctx: { tx: Tx; tenantId: string; now: Date; platform: InvoicePlatform }, invoiceId?: string) {
  const { tx, tenantId, now, platform } = ctx;
  const rows = await tx.invoiceTransmission.findMany({
    where: { tenantId, status: { notIn: ['pending', ...FINAL_TRANSMISSION_STATUSES] }, ...(invoiceId ? { invoiceId } : {}) },
    orderBy: [{ checkedAt: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
    take: BATCH,
  });
  let changed = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      const reported = await platform.statuses(row.platformId!);
      const { history, current } = mergeHistory(row.history as unknown as HistoryEntry[], reported);
      const moved = current !== null && (current.code !== row.statusCode || history.length !== (row.history as unknown[]).length);
      if (moved) changed++;
      await tx.invoiceTransmission.update({
        where: { id: row.id },
        data: {
          ...(current ? { status: current.status, statusCode: current.code, statusAt: current.at } : {}),
          history: history as unknown as Prisma.InputJsonValue,
          lastError: null,
          checkedAt: now,
        },
      });
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      failed++;
      await tx.invoiceTransmission.update({ where: { id: row.id }, data: { lastError: error.message.slice(0, 500), checkedAt: now } });
    }
  }
  return { checked: rows.length, changed, failed };
}

export async function refreshInvoiceTransmissions(deps: TenantDeps & { platform: InvoicePlatform | null }, input: TRefreshTransmissionsInput) {
  if (input.invoiceId) await loadInvoice(deps, input.invoiceId); // NOT_FOUND through the member's scope
  if (!deps.platform) throw badRequest(NO_PLATFORM_MESSAGE, { '': [NO_PLATFORM_MESSAGE] });
  return refreshTransmissionsIn({ tx: deps.tx, tenantId: deps.actor.tenantId, now: deps.now, platform: deps.platform }, input.invoiceId);
}

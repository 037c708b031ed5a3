import { withTenant, type Db } from '@crm/db';

/**
 * Progress goes to the import row in short transactions of its own, so the web app sees it
 * while the rows are still uncommitted. Writes are coalesced and never awaited by the import
 * (a single-connection database would otherwise wait on itself); the status guard keeps a late
 * write from touching a finished import.
 */
export function progressWriter(db: Db, tenantId: string, importId: string) {
  let pending: number | null = null;
  let inFlight: Promise<void> | null = null;
  const drain = async () => {
    while (pending !== null) {
      const processed = pending;
      pending = null;
      await withTenant(db, tenantId, (tx) =>
        tx.$executeRaw`UPDATE client_imports SET status = 'running', started_at = COALESCE(started_at, now()), processed_rows = GREATEST(processed_rows, ${processed})
                       WHERE tenant_id = ${tenantId}::uuid AND id = ${importId}::uuid AND status IN ('queued', 'running')`,
      ).catch(() => undefined);
    }
    inFlight = null;
  };
  return {
    report(processed: number) {
      pending = processed;
      inFlight ??= drain();
    },
    settled: () => inFlight ?? Promise.resolve(),
  };
}


import { withSystem, withTenant, type Db, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { ImportDelimiter, ImportEncoding } from '../shared/csv.ts';
import { encodeChunk, ImportChunkWriter } from './import-chunk-writer.ts';
import type { ImportMapping } from './import-fields.ts';
import { progressWriter } from './import-progress.ts';
import {
  ErrorCollector,
  ImportPlanner,
  openImportFile,
  planChunks,
  type DuplicatePolicy,
  type Timed,
} from './plan-client-import.ts';

export interface ImportRunResult {
  outcome: 'succeeded' | 'failed' | 'busy' | 'gone';
  /** Why it failed, for the runner's log (the import row holds a French message without details). */
  error?: unknown;
  insertedRows: number;
  updatedRows: number;
  skippedRows: number;
  insertedContacts: number;
  /** Time with a statement of the import's transaction in flight (PostgreSQL at work, Node meanwhile checking the next chunk). */
  dbMs: number;
  totalMs: number;
}

export interface RunClientImportOptions {
  /** Rows per INSERT/UPDATE statement. */
  chunkSize?: number;
}

const FAILURE = 'L’import a échoué : aucun client n’a été importé. Réessayez ou contactez le support si le problème persiste.';

/**
 * From here on the transaction acts as the importer, under the client scope recorded by the dry
 * run: it sees, matches and updates the clients the dry run did and no other (PostgreSQL's
 * policies on clients), so a row like a client the importer cannot see becomes a new client,
 * as the report said. A scoped importer's new clients go to their own rep, as the client form
 * does; PostgreSQL would refuse them otherwise. Returns that rep (null: no scope, no rep).
 */
async function actAsImporter(tx: Tx, tenantId: string, job: { createdBy: string; clientScope: string }): Promise<string | null> {
  await tx.$executeRaw`SELECT set_config('app.user_id', ${job.createdBy}, true), set_config('app.client_scope', ${job.clientScope}, true)`;
  if (job.clientScope === 'all') return null;
  // As crm_enter_tenant does for a member with a scope: the scope's policies are that role's.
  await tx.$executeRaw`SELECT set_config('role', 'crm_app_scoped', true), set_config('jit', 'off', true)`;
  const own = await tx.salesRep.findFirst({ where: { tenantId, userId: job.createdBy }, select: { id: true } });
  if (!own) throw new DomainError('CONFLICT', 'L’import a échoué : votre compte n’est lié à aucun commercial, les nouveaux clients ne peuvent pas vous être attribués.');
  return own.id;
}

/**
 * Runs one queued import. All rows and their `client.created` events are written in ONE
 * transaction (set-based: one INSERT ... SELECT FROM unnest() per chunk): a failure leaves no client and no event. The
 * import is claimed with a transaction-level advisory lock held by that transaction, so two
 * runners never run it together, and a runner that dies releases it with its transaction: the
 * import (still `queued` or `running`) is picked up again. A failure inside the work is rolled
 * back to a savepoint and recorded as `failed` in the same transaction, under the same lock.
 */
export async function runClientImport(
  deps: { db: Db; clock: Clock },
  ref: { tenantId: string; importId: string },
  options: RunClientImportOptions = {},
): Promise<ImportRunResult> {
  const started = performance.now();
  let dbMs = 0;
  const timed: Timed = async (promise) => {
    const t0 = performance.now();
    try {
      return await promise;
    } finally {
      dbMs += performance.now() - t0;
    }
  };
  const chunkSize = options.chunkSize ?? 5_000;
  const progress = progressWriter(deps.db, ref.tenantId, ref.importId);
  const result = await withTenant(
    deps.db,
    ref.tenantId,
    async (tx): Promise<Omit<ImportRunResult, 'dbMs' | 'totalMs'>> => {
      const none = { insertedRows: 0, updatedRows: 0, skippedRows: 0, insertedContacts: 0 };
      const [lock] = await timed(tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('client_import'), hashtext(${ref.importId})) AS locked`);
      if (!lock?.locked) return { outcome: 'busy', ...none };
      const [job] = await timed(
        tx.$queryRaw<{ encoding: string; delimiter: string; mapping: unknown; duplicatePolicy: DuplicatePolicy; createdBy: string; clientScope: string }[]>`
          SELECT encoding, delimiter, mapping, duplicate_policy::text AS "duplicatePolicy", created_by::text AS "createdBy",
                 client_scope AS "clientScope"
          FROM client_imports
          WHERE tenant_id = ${ref.tenantId}::uuid AND id = ${ref.importId}::uuid AND status IN ('queued', 'running')`,
      );
      if (!job) return { outcome: 'gone', ...none };
      progress.report(0);
      const now = deps.clock();
      await timed(tx.$executeRawUnsafe('SAVEPOINT client_import_rows'));
      try {
        const salesRepId = await timed(actAsImporter(tx, ref.tenantId, job));
        // The existing clients' keys (those the importer sees), then the file, slice after slice
        // (the next slice is read while Node checks the current one; the whole file is never in memory).
        const planner = await ImportPlanner.start(tx, ref.tenantId, job.duplicatePolicy, timed);
        const file = { tenantId: ref.tenantId, importId: ref.importId, encoding: job.encoding as ImportEncoding, delimiter: job.delimiter as ImportDelimiter };
        const { headers, batches } = await openImportFile(tx, file, timed);
        const mapping = (job.mapping as { columns: ImportMapping }).columns;
        const errors = new ErrorCollector();
        let totalRows = 0;
        let invalidRows = 0;
        const writer = new ImportChunkWriter(tx, { tenantId: ref.tenantId, now, salesRepId, errors, timed, onProgress: (n) => progress.report(n) });

        // A pipeline of two: Node checks, plans and encodes chunk n+1 while PostgreSQL writes
        // chunk n (`planChunks` yields to the event loop every few hundred rows).
        let writing: Promise<void> = Promise.resolve();
        for await (const chunk of planChunks(batches, headers, mapping, planner, chunkSize)) {
          totalRows += chunk.records;
          invalidRows += chunk.invalidRows;
          errors.add(chunk.errors);
          writer.skippedRows += chunk.skipped;
          const encoded = await encodeChunk(chunk, now);
          await writing;
          writing = writer.write(encoded);
          writing.catch(() => undefined); // awaited on the next turn or after the loop
        }
        await writing;
        const { insertedRows, updatedRows, skippedRows, insertedContacts, processedRows } = writer;
        const counters = { insertedRows, updatedRows, skippedRows, insertedContacts };
        await timed(
          tx.clientImport.update({
            where: { id: ref.importId },
            data: {
              status: 'succeeded',
              ...counters,
              totalRows,
              validRows: totalRows - invalidRows,
              processedRows,
              errors: errors.sorted(),
              failure: null,
              finishedAt: deps.clock(),
            },
            select: { id: true },
          }),
        );
        await timed(
          recordAudit(tx, { tenantId: ref.tenantId, actorUserId: job.createdBy, action: 'client_import.succeeded', entityType: 'client_import', entityId: ref.importId, data: counters }),
        );
        return { outcome: 'succeeded', ...counters };
      } catch (error) {
        // Everything the import wrote goes; the failure is recorded under the same lock.
        await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT client_import_rows');
        const message = error instanceof Error && error.name === 'DomainError' ? error.message : FAILURE;
        await tx.clientImport.update({
          where: { id: ref.importId },
          data: { status: 'failed', failure: message, insertedRows: 0, updatedRows: 0, skippedRows: 0, insertedContacts: 0, finishedAt: deps.clock() },
          select: { id: true },
        });
        await recordAudit(tx, { tenantId: ref.tenantId, actorUserId: job.createdBy, action: 'client_import.failed', entityType: 'client_import', entityId: ref.importId, data: { error: error instanceof Error ? error.message.slice(0, 500) : 'unknown' } });
        return { outcome: 'failed', error, ...none };
      }
    },
    // 100 MB of CSV is ~1M rows: about a minute of work, with a wide margin.
    { timeoutMs: 30 * 60_000 },
  );
  await progress.settled();
  return { ...result, dbMs, totalMs: performance.now() - started };
}

/**
 * One pass of the background runner: imports waiting (`queued`) or orphaned by a runner that
 * died (`running`, lock free), oldest first; the first one this runner can lock is run.
 * Returns what ran, or null when there was nothing to do.
 */
export async function runNextClientImport(deps: { db: Db; clock: Clock }): Promise<(ImportRunResult & { importId: string }) | null> {
  const candidates = await withSystem(deps.db, (tx: Tx) =>
    tx.$queryRaw<{ id: string; tenant_id: string }[]>`
      SELECT id::text, tenant_id::text FROM client_imports WHERE status IN ('queued', 'running') ORDER BY created_at, id LIMIT 20`,
  );
  for (const candidate of candidates) {
    const result = await runClientImport(deps, { tenantId: candidate.tenant_id, importId: candidate.id });
    if (result.outcome === 'succeeded' || result.outcome === 'failed') return { ...result, importId: candidate.id };
  }
  return null;
}

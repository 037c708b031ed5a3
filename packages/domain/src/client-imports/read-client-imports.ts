import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { TClientImportIdInput, TListClientImportsInput } from './client-imports.schema.ts';
import type { ImportRowError } from './import-fields.ts';

// Never the file itself (in client_import_chunks): these are polled every half second.
const SUMMARY = {
  id: true,
  fileName: true,
  encoding: true,
  delimiter: true,
  duplicatePolicy: true,
  status: true,
  totalRows: true,
  validRows: true,
  processedRows: true,
  insertedRows: true,
  updatedRows: true,
  skippedRows: true,
  insertedContacts: true,
  sizeBytes: true,
  failure: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** An import's status, counters and report (polled by the wizard's progress bar). */
export async function getClientImport({ tx, actor }: TenantDeps, input: TClientImportIdInput) {
  const found = await tx.clientImport.findFirst({ where: { id: input.importId, tenantId: actor.tenantId }, select: { ...SUMMARY, errors: true } });
  if (!found) throw notFound('Import');
  return {
    ...found,
    errors: found.errors as unknown as ImportRowError[],
    createdAt: found.createdAt.toISOString(),
    startedAt: found.startedAt?.toISOString() ?? null,
    finishedAt: found.finishedAt?.toISOString() ?? null,
  };
}

/** The tenant's recent imports, newest first. */
export async function listClientImports({ tx, actor }: TenantDeps, input: TListClientImportsInput) {
  const rows = await tx.clientImport.findMany({ where: { tenantId: actor.tenantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: input.limit, select: SUMMARY });
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }));
}

import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { TDryRunClientImportInput } from './client-imports.schema.ts';
import type { ImportDelimiter, ImportEncoding } from './csv.ts';
import { assertRequiredColumns, planImport, readImportFile, reportedErrors } from './plan-client-import.ts';

/**
 * Checks every row with the chosen mapping and duplicate policy, writes nothing but the import's
 * report, and says what the import would do: rows in error (row, field, French message), rows
 * to create, to update, to skip. The import stays `validated`, ready for `start`.
 */
export async function dryRunClientImport({ tx, actor }: TenantDeps, input: TDryRunClientImportInput) {
  const current = await tx.clientImport.findFirst({
    where: { id: input.importId, tenantId: actor.tenantId },
    select: { id: true, status: true, content: true, encoding: true, delimiter: true },
  });
  if (!current) throw notFound('Import');
  if (current.status !== 'validated') throw conflict('Import déjà lancé : la simulation n’est plus possible');
  assertRequiredColumns(input.mapping);
  const file = readImportFile(current.content, current.delimiter as ImportDelimiter, current.encoding as ImportEncoding);
  const plan = await planImport(tx, actor.tenantId, file, input.mapping, input.duplicatePolicy);
  const validRows = plan.totalRows - plan.invalidRows;
  const errors = reportedErrors(plan.errors);
  await tx.clientImport.update({
    where: { id: current.id },
    data: {
      mapping: { columns: input.mapping },
      duplicatePolicy: input.duplicatePolicy,
      totalRows: plan.totalRows,
      validRows,
      errors: errors,
    },
    select: { id: true },
  });
  return {
    importId: current.id,
    totalRows: plan.totalRows,
    validRows,
    invalidRows: plan.invalidRows,
    toInsert: plan.inserts.length,
    toUpdate: plan.updates.length,
    toSkip: plan.skipped,
    errors,
  };
}

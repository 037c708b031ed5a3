import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { clientScopeSetting } from '../shared/view-scope.ts';
import type { TDryRunClientImportInput } from './client-imports.schema.ts';
import type { ImportDelimiter, ImportEncoding } from '../shared/csv.ts';
import { assertRequiredColumns, planImport } from './plan-client-import.ts';

/**
 * Checks every row with the chosen mapping and duplicate policy, writes nothing but the import's
 * report, and says what the import would do: rows in error (row, field, French message), rows
 * to create, to update, to skip, and the contacts added to companies. The stored file is read
 * slice by slice and planned in chunks, by the code the run uses. The import stays
 * `validated`, ready for `start`.
 * Duplicates are looked for among the clients the member sees (PostgreSQL's scope), and that
 * scope is recorded on the import: the run matches against the same clients, so a row like a
 * client outside the member's scope is a new client in the report and in the run alike, and
 * nothing tells that such a client exists.
 */
export async function dryRunClientImport({ tx, actor }: TenantDeps, input: TDryRunClientImportInput) {
  const current = await tx.clientImport.findFirst({
    where: { id: input.importId, tenantId: actor.tenantId },
    select: { id: true, status: true, encoding: true, delimiter: true },
  });
  if (!current) throw notFound('Import');
  if (current.status !== 'validated') throw conflict('Import déjà lancé : la simulation n’est plus possible');
  assertRequiredColumns(input.mapping);
  const file = { tenantId: actor.tenantId, importId: current.id, encoding: current.encoding as ImportEncoding, delimiter: current.delimiter as ImportDelimiter };
  const plan = await planImport(tx, file, input.mapping, input.duplicatePolicy);
  const validRows = plan.totalRows - plan.invalidRows;
  await tx.clientImport.update({
    where: { id: current.id },
    data: {
      mapping: { columns: input.mapping },
      duplicatePolicy: input.duplicatePolicy,
      clientScope: await clientScopeSetting(tx),
      totalRows: plan.totalRows,
      validRows,
      errors: plan.errors,
    },
    select: { id: true },
  });
  return {
    importId: current.id,
    totalRows: plan.totalRows,
    validRows,
    invalidRows: plan.invalidRows,
    toInsert: plan.inserted,
    toUpdate: plan.updated,
    toSkip: plan.skipped,
    /** Rows that only add a contact to a company an earlier row creates or updates. */
    toAddContact: plan.contactRows,
    /** Contacts added to companies, in all. */
    contacts: plan.contacts,
    errors: plan.errors,
  };
}

import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { clientScopeSetting } from '../shared/view-scope.ts';
import type { TClientImportIdInput } from './client-imports.schema.ts';

/**
 * Queues a dry-run import for the background runner (apps/worker claims queued imports; see
 * `runClientImport`). Only an import whose dry run found rows to import can start, once, and it
 * runs under the client scope its dry run was planned with.
 */
export async function startClientImport({ tx, actor }: TenantDeps, input: TClientImportIdInput) {
  const current = await tx.clientImport.findFirst({
    where: { id: input.importId, tenantId: actor.tenantId },
    select: { id: true, status: true, mapping: true, validRows: true, clientScope: true },
  });
  if (!current) throw notFound('Import');
  if (current.status !== 'validated') throw conflict('Import déjà lancé');
  if (!Array.isArray((current.mapping as { columns?: unknown }).columns)) throw badRequest('Lancez d’abord la simulation');
  // The run uses the scope of the dry run: one who sees less than that may not launch it.
  const scope = await clientScopeSetting(tx);
  if (scope !== 'all' && scope !== current.clientScope) throw conflict('Votre périmètre de clients a changé depuis la simulation : relancez-la');
  if (current.validRows === 0) throw badRequest('Aucune ligne valide à importer');
  // The status guard makes a double click start it once.
  const { count } = await tx.clientImport.updateMany({
    where: { id: current.id, tenantId: actor.tenantId, status: 'validated' },
    data: { status: 'queued', processedRows: 0 },
  });
  if (count === 0) throw conflict('Import déjà lancé');
  await auditAs(tx, actor, { action: 'client_import.started', entityType: 'client_import', entityId: current.id });
  return { importId: current.id, status: 'queued' as const };
}

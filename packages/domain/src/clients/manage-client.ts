import { auditAs } from '../audit/record-audit.ts';
import { loadClient } from '../shared/load-client.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { assertAssignableSalesRep } from '../sales-reps/sales-rep-view.ts';
import { contactSearchTerms } from './client-contacts.ts';
import { clientColumns, missingName } from './client-fields.ts';
import { derivedColumns, toClientView } from './client-view.ts';
import type { TClientIdInput, TUpdateClientInput } from './clients.schema.ts';

const load = (deps: TenantDeps, clientId: string) => loadClient(deps, clientId);

export async function getClient(deps: TenantDeps, input: TClientIdInput) {
  return toClientView(await load(deps, input.clientId));
}

/** Updates what is given; derived columns (display name, search text) follow. */
export async function updateClient(deps: TenantDeps, input: TUpdateClientInput) {
  const { clientId, ...fields } = input;
  const current = await load(deps, clientId);
  if (current.status === 'archived') throw conflict('Client archivé : restaurez-le pour le modifier');
  if (fields.salesRepId && fields.salesRepId !== current.salesRepId) await assertAssignableSalesRep(deps.tx, deps.actor.tenantId, fields.salesRepId);
  const columns = clientColumns(fields, deps.now);
  const merged = { ...current, ...(columns as object) };
  const missing = missingName(merged);
  if (missing) throw conflict(missing.message, { [missing.field]: [missing.message] });
  const updated = await deps.tx.client.update({ where: { id: clientId }, data: { ...columns, ...derivedColumns(merged, await contactSearchTerms(deps.tx, current.tenantId, clientId)) } });
  await auditAs(deps.tx, deps.actor, { action: 'client.updated', entityType: 'client', entityId: clientId, data: { fields: Object.keys(fields) } });
  return toClientView(updated);
}

export async function archiveClient(deps: TenantDeps, input: TClientIdInput) {
  const current = await load(deps, input.clientId);
  if (current.status === 'archived') return toClientView(current);
  const updated = await deps.tx.client.update({ where: { id: current.id }, data: { status: 'archived', statusBeforeArchive: current.status } });
  await auditAs(deps.tx, deps.actor, { action: 'client.archived', entityType: 'client', entityId: current.id });
  return toClientView(updated);
}

export async function restoreClient(deps: TenantDeps, input: TClientIdInput) {
  const current = await load(deps, input.clientId);
  if (current.status !== 'archived') return toClientView(current);
  const updated = await deps.tx.client.update({
    where: { id: current.id },
    data: { status: current.statusBeforeArchive ?? 'prospect', statusBeforeArchive: null },
  });
  await auditAs(deps.tx, deps.actor, { action: 'client.restored', entityType: 'client', entityId: current.id });
  return toClientView(updated);
}

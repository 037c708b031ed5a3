import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { assertWithinTeam } from './sales-rep-rules.ts';
import { assertAssignableSalesRep, loadSalesRep } from './sales-rep-view.ts';
import type { TReassignClientsInput } from './sales-reps.schema.ts';

/**
 * Moves clients to another rep (or to nobody) in one statement: chosen clients, or every client
 * of a rep. All or nothing: a client id that is not the tenant's (or not visible to the actor)
 * fails the whole request.
 */
export async function reassignClients(deps: TenantDeps, input: TReassignClientsInput) {
  const { tx, actor } = deps;
  // A team manager moves clients between the reps of their team only (PostgreSQL would hide
  // another rep's clients, and refuse to give one of theirs away, anyway).
  await assertWithinTeam(deps, { reps: [input.fromSalesRepId, input.toSalesRepId].filter((id): id is string => Boolean(id)) });
  if (input.toSalesRepId) await assertAssignableSalesRep(tx, actor.tenantId, input.toSalesRepId, 'toSalesRepId');
  if (input.fromSalesRepId) await loadSalesRep(deps, input.fromSalesRepId);
  const ids = input.clientIds ? [...new Set(input.clientIds)] : undefined;
  const { count } = await tx.client.updateMany({
    where: { tenantId: actor.tenantId, ...(ids ? { id: { in: ids } } : { salesRepId: input.fromSalesRepId! }) },
    data: { salesRepId: input.toSalesRepId },
  });
  if (ids && count !== ids.length) throw notFound('Client');
  await auditAs(tx, actor, {
    action: 'clients.reassigned',
    entityType: 'sales_rep',
    entityId: input.toSalesRepId,
    data: { count, from: input.fromSalesRepId ?? null, clientIds: ids ?? null },
  });
  return { reassigned: count };
}

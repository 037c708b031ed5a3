import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { assertLinkableUser, assertManager, assertWithinTeam } from './sales-rep-rules.ts';
import { loadSalesRep, SALES_REP_COLUMNS, toSalesRepView } from './sales-rep-view.ts';
import type { TUpdateSalesRepInput } from './sales-reps.schema.ts';

/** Updates what is given. A rep is deactivated rather than deleted: contracts and commissions name them. */
export async function updateSalesRep(deps: TenantDeps, input: TUpdateSalesRepInput) {
  const { tx, actor } = deps;
  const { salesRepId, ...fields } = input;
  await loadSalesRep(deps, salesRepId);
  await assertWithinTeam(deps, { reps: [salesRepId], managerId: fields.managerId });
  if (fields.managerId) await assertManager(deps, fields.managerId, salesRepId);
  if (fields.userId) await assertLinkableUser(deps, fields.userId, salesRepId);
  if (fields.code && (await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, code: fields.code, NOT: { id: salesRepId } }, select: { id: true } }))) {
    throw conflict('Code déjà utilisé', { code: ['Code déjà utilisé par un autre commercial'] });
  }
  const rep = await tx.salesRep.update({ where: { id: salesRepId }, data: fields, select: SALES_REP_COLUMNS });
  await auditAs(tx, actor, { action: 'sales_rep.updated', entityType: 'sales_rep', entityId: salesRepId, data: { fields: Object.keys(fields) } });
  return toSalesRepView(rep);
}

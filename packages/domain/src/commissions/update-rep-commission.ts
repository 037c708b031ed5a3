import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { TUpdateRepCommissionInput } from './commissions.schema.ts';

/** Whether a rep is salaried (payroll export) or an independent agent (self-billing), with the agent's identity. */
export async function updateRepCommission({ tx, actor }: TenantDeps, input: TUpdateRepCommissionInput) {
  const rep = await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, id: input.salesRepId }, select: { id: true } });
  if (!rep) throw notFound('Commercial');
  const { salesRepId: _id, ...data } = input;
  await tx.salesRep.update({ where: { tenantId_id: { tenantId: actor.tenantId, id: rep.id } }, data });
  await auditAs(tx, actor, { action: 'commission.rep_updated', entityType: 'sales_rep', entityId: rep.id, data: { fields: Object.keys(data) } });
  return { id: rep.id };
}

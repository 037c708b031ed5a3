import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { TAssignPlanInput } from './commissions.schema.ts';

/** Puts a rep or a team on a plan (their next contracts are commissioned by it), or takes them off. */
export async function assignPlan({ tx, actor }: TenantDeps, input: TAssignPlanInput) {
  const tenantId = actor.tenantId;
  if (input.planId && !(await tx.commissionPlan.findFirst({ where: { tenantId, id: input.planId }, select: { id: true } }))) throw notFound('Plan');
  if (input.salesRepId && !(await tx.salesRep.findFirst({ where: { tenantId, id: input.salesRepId }, select: { id: true } }))) throw notFound('Commercial');
  const target = input.salesRepId ? { salesRepId: input.salesRepId } : { team: input.team! };
  await tx.commissionPlanAssignment.deleteMany({ where: { tenantId, ...target } });
  if (input.planId) await tx.commissionPlanAssignment.create({ data: { tenantId, planId: input.planId, ...target } });
  await auditAs(tx, actor, { action: 'commission.plan_assigned', entityType: 'commission_plan', entityId: input.planId, data: { ...target } });
  return { planId: input.planId };
}

import { newId } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { dayDate } from './commission-lines.ts';
import type { TCreatePlanInput } from './commissions.schema.ts';

/** A new plan with its first version; the default plan covers reps without one of their own or their team's. */
export async function createPlan({ tx, actor }: TenantDeps, input: TCreatePlanInput) {
  const tenantId = actor.tenantId;
  if (await tx.commissionPlan.findFirst({ where: { tenantId, name: input.name }, select: { id: true } })) {
    throw conflict('Un plan porte déjà ce nom', { name: ['Un plan porte déjà ce nom'] });
  }
  if (input.isDefault) await tx.commissionPlan.updateMany({ where: { tenantId, isDefault: true }, data: { isDefault: false } });
  const id = newId();
  await tx.commissionPlan.create({ data: { id, tenantId, name: input.name, isDefault: input.isDefault } });
  await tx.commissionPlanVersion.create({
    data: { tenantId, planId: id, version: 1, effectiveFrom: dayDate(input.effectiveFrom), rules: input.rules, createdBy: actor.userId },
  });
  await auditAs(tx, actor, { action: 'commission.plan_created', entityType: 'commission_plan', entityId: id, data: { name: input.name, isDefault: input.isDefault, effectiveFrom: input.effectiveFrom } });
  return { id };
}

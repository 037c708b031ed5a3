import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { asDay, dayDate } from './commission-lines.ts';
import type { TAddPlanVersionInput } from './commissions.schema.ts';

/**
 * A new version of a plan's rules from `effectiveFrom`. Versions are never changed: a contract
 * keeps the version in force at its signature, so a new version starts after the latest one.
 */
export async function addPlanVersion({ tx, actor }: TenantDeps, input: TAddPlanVersionInput) {
  const tenantId = actor.tenantId;
  const plan = await tx.commissionPlan.findFirst({ where: { tenantId, id: input.planId }, select: { id: true } });
  if (!plan) throw notFound('Plan');
  await tx.$queryRaw`SELECT id FROM commission_plans WHERE tenant_id = ${tenantId}::uuid AND id = ${plan.id}::uuid FOR UPDATE`;
  const latest = await tx.commissionPlanVersion.findFirst({ where: { tenantId, planId: plan.id }, orderBy: { version: 'desc' }, select: { version: true, effectiveFrom: true } });
  if (latest && asDay(latest.effectiveFrom) >= input.effectiveFrom) {
    throw conflict('Une version prend effet après la précédente', { effectiveFrom: [`Après le ${asDay(latest.effectiveFrom)} (version ${latest.version})`] });
  }
  const version = (latest?.version ?? 0) + 1;
  const row = await tx.commissionPlanVersion.create({
    data: { tenantId, planId: plan.id, version, effectiveFrom: dayDate(input.effectiveFrom), rules: input.rules, createdBy: actor.userId },
    select: { id: true },
  });
  await auditAs(tx, actor, { action: 'commission.plan_version_added', entityType: 'commission_plan', entityId: plan.id, data: { version, effectiveFrom: input.effectiveFrom } });
  return { id: row.id, version };
}

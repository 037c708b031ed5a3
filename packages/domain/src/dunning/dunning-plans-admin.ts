import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { auditAs } from '../audit/record-audit.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { CHANNEL_LABELS, type Channel } from './dunning-rules.ts';
import { TEMPLATE_FIELDS } from './dunning-templates.ts';
import type { TUpdateDunningPlanInput } from './dunning.schema.ts';

/** The organisation's three plans (b2b, b2c, prospects) with their steps, for the plan editor. */
export async function getDunningPlans(deps: TenantDeps) {
  const plans = await loadDunningPlans(deps.tx, deps.actor.tenantId);
  return {
    plans: plans.map((p) => ({ ...p, steps: p.steps.map((s) => ({ ...s, channelLabel: CHANNEL_LABELS[s.channel] })) })),
    templateFields: TEMPLATE_FIELDS,
  };
}

/** What a prospect's follow-up may do: reach them or give a rep a task, never a recovery step. */
const PROSPECT_CHANNELS: readonly Channel[] = ['email', 'task'];

/**
 * Replaces a plan's steps (in the order given) and its name and state. Cases on it keep their
 * level (a case at step 3 goes on with the new step 4) and are decided again the next night. A recovery step in a prospect plan, or a
 * "no contract" condition in a recovery plan, is refused with the step's field.
 */
export async function updateDunningPlan(deps: TenantDeps, input: TUpdateDunningPlanInput) {
  const { tx, actor } = deps;
  const errors: Record<string, string[]> = {};
  input.steps.forEach((step, i) => {
    if (input.audience === 'prospect' && !PROSPECT_CHANNELS.includes(step.channel)) errors[`steps.${i}.channel`] = ['Un suivi de prospect n’envoie qu’un e-mail ou crée une tâche'];
    if (input.audience !== 'prospect' && step.condition !== null) errors[`steps.${i}.condition`] = ['Condition réservée au suivi des prospects'];
  });
  if (Object.keys(errors).length > 0) throw badRequest('Plan invalide', errors);
  const plan = (await loadDunningPlans(tx, actor.tenantId)).find((p) => p.audience === input.audience)!;
  await tx.dunningPlan.update({ where: { tenantId_id: { tenantId: actor.tenantId, id: plan.id } }, data: { name: input.name, active: input.active } });
  await tx.dunningPlanStep.deleteMany({ where: { tenantId: actor.tenantId, planId: plan.id } });
  await tx.dunningPlanStep.createMany({ data: input.steps.map((step, i) => ({ tenantId: actor.tenantId, planId: plan.id, position: i + 1, ...step })) });
  // The open cases on the plan are decided again by the next night (their next step may have moved).
  await tx.$executeRaw`UPDATE dunning_cases SET next_step_on = LEAST(COALESCE(next_step_on, ${parisDay(deps.now)}::date), ${parisDay(deps.now)}::date)
    WHERE tenant_id = ${actor.tenantId}::uuid AND plan_id = ${plan.id}::uuid AND status = 'open'`;
  await auditAs(tx, actor, { action: 'dunning.plan_updated', entityType: 'dunning_plan', entityId: plan.id, data: { audience: input.audience, steps: input.steps.length, active: input.active } });
  return (await getDunningPlans(deps)).plans.find((p) => p.audience === input.audience)!;
}

import type { TenantDeps } from '../shared/context.ts';
import { badRequest, notFound } from '../shared/errors.ts';
import { dayDate, parseRules } from './commission-lines.ts';
import { monthEnd, simulateMonth, ZSimulationInput } from './commission-rules.ts';
import type { TSimulatePlanInput } from './commissions.schema.ts';

/**
 * The plan editor's simulator: what a month of contracts and payments would have paid, under the
 * rules being edited or the plan's version in force at the month's end. Writes nothing.
 */
export async function simulatePlan({ tx, actor }: TenantDeps, input: TSimulatePlanInput) {
  let rules = input.rules;
  if (!rules) {
    if (!input.planId) throw badRequest('Un plan ou des règles', { planId: ['Choisissez un plan'] });
    const plan = await tx.commissionPlan.findFirst({ where: { tenantId: actor.tenantId, id: input.planId }, select: { id: true } });
    if (!plan) throw notFound('Plan');
    const version = await tx.commissionPlanVersion.findFirst({
      where: { tenantId: actor.tenantId, planId: plan.id, effectiveFrom: { lte: dayDate(monthEnd(input.month)) } },
      orderBy: { effectiveFrom: 'desc' },
      select: { rules: true },
    });
    if (!version) throw badRequest('Aucune version du plan ce mois-là', { month: ['Aucune version du plan n’était en vigueur ce mois-là'] });
    rules = parseRules(version.rules);
  }
  return simulateMonth(rules, input.month, ZSimulationInput.parse({ contracts: input.contracts }));
}

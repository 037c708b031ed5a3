import { newId, type Tx } from '@crm/db';
import { sortSteps, type Audience, type StepRule } from './dunning-rules.ts';
import { DEFAULT_PLANS } from './dunning-templates.ts';

export interface PlanWithSteps {
  id: string;
  audience: Audience;
  name: string;
  active: boolean;
  steps: (StepRule & { id: string; subject: string; template: string })[];
}

/**
 * Every organisation has its three plans: the defaults (dunning-templates.ts) are written the first
 * time dunning needs them, in the caller's transaction. The prospects' plan starts inactive: an
 * organisation turns its commercial follow-ups on in the plan editor.
 */
export async function ensureDunningPlans(tx: Tx, tenantId: string): Promise<void> {
  const existing = await tx.dunningPlan.findMany({ where: { tenantId }, select: { audience: true } });
  const missing = (Object.keys(DEFAULT_PLANS) as Audience[]).filter((audience) => !existing.some((p) => p.audience === audience));
  for (const audience of missing) {
    const id = newId();
    const plan = DEFAULT_PLANS[audience];
    const created = await tx.dunningPlan.createMany({ data: [{ id, tenantId, audience, name: plan.name, active: audience !== 'prospect' }], skipDuplicates: true });
    if (created.count === 0) continue; // written meanwhile by a concurrent caller
    await tx.dunningPlanStep.createMany({
      data: plan.steps.map((step, i) => ({ tenantId, planId: id, position: i + 1, ...step })),
    });
  }
}

const asStep = (s: { id: string; position: number; delayDays: number; delayFrom: string; channel: string; condition: string | null; subject: string; template: string }) => ({
  id: s.id,
  position: s.position,
  delayDays: s.delayDays,
  delayFrom: s.delayFrom as StepRule['delayFrom'],
  channel: s.channel as StepRule['channel'],
  condition: s.condition as StepRule['condition'],
  subject: s.subject,
  template: s.template,
});

/** The organisation's plans with their steps in order (the defaults written first if needed). */
export async function loadDunningPlans(tx: Tx, tenantId: string): Promise<PlanWithSteps[]> {
  await ensureDunningPlans(tx, tenantId);
  const plans = await tx.dunningPlan.findMany({ where: { tenantId }, orderBy: { audience: 'asc' } });
  const steps = await tx.dunningPlanStep.findMany({ where: { tenantId }, orderBy: [{ planId: 'asc' }, { position: 'asc' }] });
  return plans.map((p) => ({
    id: p.id,
    audience: p.audience as Audience,
    name: p.name,
    active: p.active,
    steps: sortSteps(steps.filter((s) => s.planId === p.id).map(asStep)),
  }));
}

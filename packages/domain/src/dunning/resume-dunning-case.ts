import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { addCaseEntry, assertRecoveryOpen, auditCase, dateOf, lockCase, memberClock } from './dunning-case-actions.ts';
import { loadDunningPlans } from './dunning-plans.ts';
import { stepDueOn } from './dunning-rules.ts';

/**
 * paused -> open: the dispute settled, or the payment plan given up. The plan starts a new cycle
 * from today for what remains (the steps already sent are not repeated at once); instalments of an
 * abandoned payment plan are removed from the case.
 */
export async function resumeDunningCase(deps: TenantDeps, input: { caseId: string }) {
  const { tx } = deps;
  const tenantId = deps.actor.tenantId;
  const kase = await lockCase(tx, tenantId, input.caseId);
  assertRecoveryOpen(kase, 'de reprendre');
  if (kase.status !== 'paused') throw conflict('Le dossier n’est pas en pause');
  const clock = memberClock(deps);
  const plan = (await loadDunningPlans(tx, tenantId)).find((p) => p.id === kase.planId);
  const next = plan?.active ? stepDueOn(plan.steps, 0, clock.today, null) : null;
  await tx.dunningInstalment.deleteMany({ where: { tenantId, caseId: kase.id } });
  await tx.dunningCase.update({
    where: { tenantId_id: { tenantId, id: kase.id } },
    data: { status: 'open', pauseReason: null, pauseNote: null, cycle: kase.cycle + 1, level: 0, cycleStartedOn: dateOf(clock.today), lastStepOn: null, nextStepOn: next ? dateOf(next) : null },
  });
  await addCaseEntry(tx, tenantId, clock, { caseId: kase.id, kind: 'resumed', title: kase.pauseReason === 'payment_plan' ? 'Échéancier abandonné : relances reprises' : 'Litige levé : relances reprises' });
  await auditCase(deps, 'resumed', kase.id);
  return { id: kase.id, status: 'open' as const };
}

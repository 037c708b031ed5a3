import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { formatEur } from '../shared/money.ts';
import { addCaseEntry, assertRecoveryOpen, auditCase, dateOf, lockCase, memberClock } from './dunning-case-actions.ts';
import type { TAgreePaymentPlanInput } from './dunning.schema.ts';

/**
 * A payment plan agreed with the debtor: instalments (dates after today, in order) that add up to
 * exactly what remains owed. The case pauses (no reminder while the plan is kept); payments go to
 * the instalments in their order, and paying everything closes the case.
 */
export async function agreePaymentPlan(deps: TenantDeps, input: TAgreePaymentPlanInput) {
  const { tx } = deps;
  const tenantId = deps.actor.tenantId;
  const kase = await lockCase(tx, tenantId, input.caseId);
  assertRecoveryOpen(kase, 'd’accorder un échéancier sur');
  const clock = memberClock(deps);
  const items = await tx.dunningCaseItem.findMany({ where: { tenantId, caseId: kase.id }, select: { amountCents: true, paidCents: true } });
  const owed = items.reduce((sum, i) => sum + i.amountCents - i.paidCents, 0);
  const total = input.instalments.reduce((sum, i) => sum + i.amountCents, 0);
  const errors: Record<string, string[]> = {};
  // One instalment is a payment promise, not a plan: the case stays open (its plan goes on).
  if (input.instalments.length < 2) errors.instalments = ['Au moins deux échéances'];
  else if (total !== owed) errors.instalments = [`Les échéances doivent totaliser le reste dû, ${formatEur(owed)} (et non ${formatEur(total)})`];
  input.instalments.forEach((i, n) => {
    if (i.dueOn <= clock.today) errors[`instalments.${n}.dueOn`] = ['Date après aujourd’hui'];
    else if (n > 0 && i.dueOn <= input.instalments[n - 1]!.dueOn) errors[`instalments.${n}.dueOn`] = ['Après l’échéance précédente'];
  });
  if (Object.keys(errors).length > 0) throw badRequest('Échéancier invalide', errors);
  await tx.dunningInstalment.deleteMany({ where: { tenantId, caseId: kase.id } });
  await tx.dunningInstalment.createMany({ data: input.instalments.map((i, n) => ({ tenantId, caseId: kase.id, position: n + 1, dueOn: dateOf(i.dueOn), amountCents: i.amountCents })) });
  await tx.dunningCase.update({ where: { tenantId_id: { tenantId, id: kase.id } }, data: { status: 'paused', pauseReason: 'payment_plan', pauseNote: null, nextStepOn: null } });
  await addCaseEntry(tx, tenantId, clock, { caseId: kase.id, kind: 'payment_plan', title: `Échéancier accordé : ${input.instalments.length} échéances`, amountCents: total });
  await auditCase(deps, 'payment_plan', kase.id, { instalments: input.instalments.length, totalCents: total });
  return { id: kase.id, status: 'paused' as const };
}

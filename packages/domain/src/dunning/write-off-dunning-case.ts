import type { TenantDeps } from '../shared/context.ts';
import { addCaseEntry, assertRecoveryOpen, auditCase, dateOf, lockCase, memberClock } from './dunning-case-actions.ts';
import type { TWriteOffDunningCaseInput } from './dunning.schema.ts';

/** open | paused -> closed written off: the organisation gives up what remains (its reason kept). */
export async function writeOffDunningCase(deps: TenantDeps, input: TWriteOffDunningCaseInput) {
  const { tx } = deps;
  const tenantId = deps.actor.tenantId;
  const kase = await lockCase(tx, tenantId, input.caseId);
  assertRecoveryOpen(kase, 'de passer en perte');
  const clock = memberClock(deps);
  const items = await tx.dunningCaseItem.findMany({ where: { tenantId, caseId: kase.id }, select: { amountCents: true, paidCents: true } });
  const owed = items.reduce((sum, i) => sum + i.amountCents - i.paidCents, 0);
  await tx.dunningCase.update({
    where: { tenantId_id: { tenantId, id: kase.id } },
    data: { status: 'closed_written_off', closedOn: dateOf(clock.today), nextStepOn: null, pauseReason: null, pauseNote: null },
  });
  await addCaseEntry(tx, tenantId, clock, { caseId: kase.id, kind: 'closed', title: `Passé en perte : ${input.reason}`, amountCents: owed });
  await auditCase(deps, 'written_off', kase.id, { owedCents: owed });
  return { id: kase.id, status: 'closed_written_off' as const };
}

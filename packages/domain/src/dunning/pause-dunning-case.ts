import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { addCaseEntry, assertRecoveryOpen, auditCase, lockCase, memberClock } from './dunning-case-actions.ts';
import type { TPauseDunningCaseInput } from './dunning.schema.ts';

/** open -> paused (dispute): no step runs until a person resumes the case. */
export async function pauseDunningCase(deps: TenantDeps, input: TPauseDunningCaseInput) {
  const tenantId = deps.actor.tenantId;
  const kase = await lockCase(deps.tx, tenantId, input.caseId);
  assertRecoveryOpen(kase, 'de mettre en pause');
  if (kase.status === 'paused') throw conflict('Le dossier est déjà en pause');
  await deps.tx.dunningCase.update({ where: { tenantId_id: { tenantId, id: kase.id } }, data: { status: 'paused', pauseReason: 'dispute', pauseNote: input.note, nextStepOn: null } });
  await addCaseEntry(deps.tx, tenantId, memberClock(deps), { caseId: kase.id, kind: 'paused', title: `Litige : ${input.note}` });
  await auditCase(deps, 'paused', kase.id, { reason: 'dispute' });
  return { id: kase.id, status: 'paused' as const };
}

import type { Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { CONTRACT_TRANSITIONS } from '../contracts/contract-state.ts';
import { emitEvent } from '../events/emit-event.ts';
import { dateOf } from './dunning-cases.ts';

/**
 * A plan's step that suspends or terminates the contracts a case claims debts of. The same rows as
 * a person's transition (contracts/contract-transitions.ts: the state, its history, the audit, the
 * event others react to), written by the dunning run: no member acts, so the history names none
 * and the audit names the run. A contract not in a state the transition leaves from is left alone.
 */
export async function applyNonPaymentStep(
  ctx: { tx: Tx; tenantId: string; now: Date; today: string; createdBy: string },
  caseId: string,
  action: 'suspend_contract' | 'terminate_contract',
): Promise<string[]> {
  const { tx, tenantId, now, today } = ctx;
  const transition = action === 'suspend_contract' ? 'suspend' : 'terminate';
  const rule = CONTRACT_TRANSITIONS[transition];
  const items = await tx.dunningCaseItem.findMany({ where: { tenantId, caseId, contractId: { not: null } }, select: { contractId: true } });
  const contracts = await tx.contract.findMany({
    where: { tenantId, id: { in: [...new Set(items.map((i) => i.contractId!))] }, status: { in: [...rule.from] } },
    select: { id: true, clientId: true, status: true, number: true },
  });
  const reason = 'Impayé (relance)';
  const changed: string[] = [];
  for (const contract of contracts) {
    const updated = await tx.contract.updateMany({
      where: { tenantId, id: contract.id, status: contract.status },
      data: transition === 'suspend' ? { status: rule.to, suspendedAt: now } : { status: rule.to, endDate: dateOf(today) },
    });
    if (updated.count === 0) continue;
    await tx.contractStateChange.create({ data: { tenantId, contractId: contract.id, fromStatus: contract.status, toStatus: rule.to, actorUserId: null, reason, at: now } });
    await recordAudit(tx, { tenantId, actorUserId: null, action: `contract.${transition}`, entityType: 'contract', entityId: contract.id, data: { from: contract.status, to: rule.to, reason, by: ctx.createdBy, caseId } });
    if (transition === 'suspend') {
      await emitEvent(tx, { type: 'contract.suspended', tenantId, payload: { contractId: contract.id, clientId: contract.clientId, reason } });
    } else {
      await emitEvent(tx, { type: 'contract.terminated', tenantId, payload: { contractId: contract.id, clientId: contract.clientId, endDate: today, reason } });
    }
    changed.push(contract.number);
  }
  return changed;
}

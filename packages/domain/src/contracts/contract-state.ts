import type { Prisma } from '@crm/db';
import type { Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { conflict } from '../shared/errors.ts';
import type { ContractStatusName as ContractStatus } from './contracts.schema.ts';
import { CONTRACT_STATUS_LABELS, type ContractRow } from './contract-view.ts';

/** Every transition, the states it leaves from and the one it leads to. */
export const CONTRACT_TRANSITIONS = {
  send: { from: ['draft'], to: 'sent', verb: "d'envoyer pour signature" },
  sign: { from: ['sent'], to: 'signed', verb: 'de signer' },
  activate: { from: ['signed'], to: 'active', verb: "d'activer" },
  suspend: { from: ['active'], to: 'suspended', verb: 'de suspendre' },
  resume: { from: ['suspended'], to: 'active', verb: 'de réactiver' },
  terminate: { from: ['active', 'suspended'], to: 'terminated', verb: 'de résilier' },
  cancel: { from: ['draft', 'sent', 'signed'], to: 'cancelled', verb: "d'annuler" },
  // The consumer's right of withdrawal runs 14 days from signature, whether or not service started.
  withdraw: { from: ['signed', 'active', 'suspended'], to: 'cancelled', verb: "d'exercer la rétractation sur" },
} as const satisfies Record<string, { from: readonly ContractStatus[]; to: ContractStatus; verb: string }>;
export type ContractTransition = keyof typeof CONTRACT_TRANSITIONS;

/** A CONFLICT naming the current state when `transition` cannot leave from it. */
export function assertTransition(contract: Pick<ContractRow, 'status' | 'number'>, transition: ContractTransition): ContractStatus {
  const rule = CONTRACT_TRANSITIONS[transition];
  if (!(rule.from as readonly ContractStatus[]).includes(contract.status)) {
    throw conflict(`Impossible ${rule.verb} le contrat ${contract.number} : il est actuellement « ${CONTRACT_STATUS_LABELS[contract.status]} »`);
  }
  return rule.to;
}

/** Who moves a contract: a member, or nobody of the organisation (the client signing through a mailed link). */
export interface TransitionActor {
  tenantId: string;
  userId: string | null;
  requestId?: string | undefined;
}

/**
 * Moves a contract along `transition`: the row (only if still in the state read, so two
 * concurrent transitions cannot both pass), the state history row and the audit entry, in the
 * caller's transaction.
 */
export async function applyTransition(
  { tx, actor, now }: { tx: Tx; actor: TransitionActor; now: Date },
  contract: ContractRow,
  transition: ContractTransition,
  data: Prisma.ContractUncheckedUpdateManyInput = {},
  reason?: string | null,
): Promise<void> {
  const to = assertTransition(contract, transition);
  const updated = await tx.contract.updateMany({
    where: { id: contract.id, tenantId: actor.tenantId, status: contract.status },
    data: { ...data, status: to },
  });
  if (updated.count === 0) throw conflict(`Le contrat ${contract.number} vient de changer d'état : rechargez la page`);
  await tx.contractStateChange.create({
    data: { tenantId: actor.tenantId, contractId: contract.id, fromStatus: contract.status, toStatus: to, actorUserId: actor.userId, reason: reason ?? null, at: now },
  });
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    requestId: actor.requestId ?? null,
    action: `contract.${transition}`,
    entityType: 'contract',
    entityId: contract.id,
    data: { from: contract.status, to, ...(reason ? { reason } : {}) },
  });
}

/**
 * The transitions `contract` may take today, served with the record so the web offers what the
 * server allows (the server still decides): withdrawal only for a consumer, until its deadline.
 */
export function allowedTransitions(
  contract: Pick<ContractRow, 'status' | 'consumer'> & { withdrawalDeadline: string | null },
  today: string,
): ContractTransition[] {
  return (Object.keys(CONTRACT_TRANSITIONS) as ContractTransition[]).filter((name) => {
    if (!(CONTRACT_TRANSITIONS[name].from as readonly ContractStatus[]).includes(contract.status)) return false;
    if (name === 'withdraw') return contract.consumer && (contract.withdrawalDeadline === null || today <= contract.withdrawalDeadline);
    return true;
  });
}

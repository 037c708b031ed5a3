import type { TenantDeps } from '../shared/context.ts';
import { contractPdfData } from './contract-documents.ts';
import { allowedTransitions } from './contract-state.ts';
import { loadContract, parisDate, toContractView, type ContractRow } from './contract-view.ts';
import { contractLegalTexts } from './record-signature.ts';
import { fromSnapshotJson } from './signature-snapshot.ts';
import { latestSigningLink } from './signing-links.ts';

/**
 * A contract as its page receives it: the view, the legal texts a signer is shown (once signed,
 * the ones the signature kept), the transitions allowed today and the latest mailed signing link.
 * The web renders these; it re-encodes neither the wording nor the state machine.
 */
export async function contractRecord(deps: TenantDeps, contract: ContractRow) {
  const view = toContractView(contract, deps.actor.role);
  const snapshot = fromSnapshotJson(contract.signatureSnapshot);
  const legal = snapshot?.legal ?? contractLegalTexts(await contractPdfData(deps, contract));
  return {
    ...view,
    legal,
    transitions: allowedTransitions({ status: contract.status, consumer: contract.consumer, withdrawalDeadline: view.withdrawalDeadline }, parisDate(deps.now)),
    signingLink: await latestSigningLink(deps.tx, deps.actor.tenantId, contract.id, deps.now),
  };
}
export type ContractRecord = Awaited<ReturnType<typeof contractRecord>>;

/** The record of a contract read again in the caller's transaction (after a change). */
export const reloadContract = async (deps: TenantDeps, contractId: string) => contractRecord(deps, await loadContract(deps, contractId));

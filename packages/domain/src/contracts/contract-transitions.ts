import type { DocumentDeps } from '../documents/document-view.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { ClientInfo, TenantDeps } from '../shared/context.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import type {
  TCancelContractInput,
  TContractIdInput,
  TContractStateInput,
  TSignContractInput,
  TTerminateContractInput,
  TWithdrawContractInput,
} from './contracts.schema.ts';
import { normaliseDebtorIban } from './contract-draft.ts';
import { applyTransition, assertTransition } from './contract-state.ts';
import { CONTRACT_STATUS_LABELS, isoDay, loadContract, parisDate } from './contract-view.ts';
import { reloadContract } from './contract-record.ts';
import { recordSignature } from './record-signature.ts';
import { issueSigningLink, revokeSigningLinks } from './signing-links.ts';
import { withdrawalDeadline, withinWithdrawalPeriod } from './withdrawal-period.ts';


const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const reload = reloadContract;

/**
 * draft -> sent. A direct-debit contract needs its debtor's name and a valid IBAN first. With
 * `links` (the API passes its app URL), the client is mailed a one-time link to sign at a distance
 * (signing-links.ts) when they have an e-mail address; the contract can be signed in the app either way.
 */
export async function sendContract(deps: TenantDeps, input: TContractIdInput, links?: { appUrl: string }) {
  const contract = await loadContract(deps, input.contractId);
  assertTransition(contract, 'send');
  if (contract.paymentMethod === 'sepa_debit') {
    const errors: Record<string, string[]> = {};
    if (!contract.debtorName) errors.debtorName = ['Titulaire du compte requis pour un prélèvement'];
    if (!contract.debtorIban) errors.debtorIban = ['IBAN requis pour un prélèvement'];
    else {
      try {
        normaliseDebtorIban(contract.debtorIban);
      } catch {
        errors.debtorIban = ['IBAN invalide'];
      }
    }
    if (Object.keys(errors).length > 0) throw badRequest('Coordonnées bancaires du débiteur incomplètes', errors);
  }
  await applyTransition(deps, contract, 'send', { sentAt: deps.now });
  if (links) await issueSigningLink(deps, contract, links);
  return reload(deps, contract.id);
}

/** A sent contract's signing link mailed again (the earlier one stops working). */
export async function resendSigningLink(deps: TenantDeps, input: TContractIdInput, links: { appUrl: string }) {
  const contract = await loadContract(deps, input.contractId);
  if (contract.status !== 'sent') throw conflict(`Le contrat ${contract.number} n'attend pas de signature : il est « ${CONTRACT_STATUS_LABELS[contract.status]} »`);
  const issued = await issueSigningLink(deps, contract, links);
  if (!issued) throw badRequest("Le client n'a pas d'adresse e-mail : ajoutez-la sur sa fiche pour lui envoyer le lien", { email: ['Adresse e-mail du client requise'] });
  return reload(deps, contract.id);
}

/**
 * sent -> signed by simple electronic signature in the app: in front of the rep (`in_app`) or by
 * the client alone on the rep's tablet in the hand-over mode (`hand_over`). The evidence is the
 * same on every path (record-signature.ts); time, IP and user agent come from the request. Any
 * link mailed for the contract stops working.
 */
export async function signContract(deps: DocumentDeps, input: TSignContractInput, request: ClientInfo) {
  const contract = await loadContract(deps, input.contractId);
  await recordSignature(deps, contract, { ...input, channel: input.mode ?? 'in_app', request });
  await revokeSigningLinks(deps.tx, deps.actor.tenantId, contract.id, 'signed_elsewhere', deps.now);
  return reload(deps, contract.id);
}

/** signed -> active: service starts. */
export async function activateContract(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  await applyTransition(deps, contract, 'activate', { activatedAt: deps.now });
  await emitEvent(deps.tx, { type: 'contract.activated', tenantId: deps.actor.tenantId, payload: { contractId: contract.id, clientId: contract.clientId } });
  return reload(deps, contract.id);
}

/** active -> suspended (collections stop until resumed). */
export async function suspendContract(deps: TenantDeps, input: TContractStateInput) {
  const contract = await loadContract(deps, input.contractId);
  await applyTransition(deps, contract, 'suspend', { suspendedAt: deps.now }, input.reason);
  await emitEvent(deps.tx, {
    type: 'contract.suspended',
    tenantId: deps.actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, ...(input.reason ? { reason: input.reason } : {}) },
  });
  return reload(deps, contract.id);
}

/**
 * suspended -> active again: announced as contract.activated with `resumed`, on which the payments
 * consumer gives the debits held back by the suspension new due dates (adjust-schedule.ts).
 */
export async function resumeContract(deps: TenantDeps, input: TContractStateInput) {
  const contract = await loadContract(deps, input.contractId);
  await applyTransition(deps, contract, 'resume', { suspendedAt: null }, input.reason);
  await emitEvent(deps.tx, {
    type: 'contract.activated',
    tenantId: deps.actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, resumed: true },
    // The payments consumer reschedules the debits the suspension held back from this day.
    occurredAt: deps.now,
  });
  return reload(deps, contract.id);
}

/** active | suspended -> terminated, ending on `endDate` (not before the start). */
export async function terminateContract(deps: TenantDeps, input: TTerminateContractInput) {
  const contract = await loadContract(deps, input.contractId);
  assertTransition(contract, 'terminate');
  if (input.endDate < isoDay(contract.startDate)) {
    throw badRequest('La date de fin précède le début du contrat', { endDate: [`Pas avant le début (${isoDay(contract.startDate)})`] });
  }
  await applyTransition(deps, contract, 'terminate', { endDate: new Date(input.endDate) }, input.reason);
  await emitEvent(deps.tx, {
    type: 'contract.terminated',
    tenantId: deps.actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, endDate: input.endDate, ...(input.reason ? { reason: input.reason } : {}) },
  });
  return reload(deps, contract.id);
}

/** draft | sent | signed -> cancelled, with a reason. */
export async function cancelContract(deps: TenantDeps, input: TCancelContractInput) {
  const contract = await loadContract(deps, input.contractId);
  await applyTransition(deps, contract, 'cancel', { cancelledAt: deps.now, cancellationReason: input.reason }, input.reason);
  await revokeSigningLinks(deps.tx, deps.actor.tenantId, contract.id, 'contract_changed', deps.now);
  await emitEvent(deps.tx, {
    type: 'contract.cancelled',
    tenantId: deps.actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, reason: input.reason, withdrawn: false },
  });
  return reload(deps, contract.id);
}

/**
 * The consumer's right of withdrawal: a consumer contract, signed, until its withdrawal deadline
 * (14 days after the day of signature in Paris, run on to the next working day when that is a
 * weekend or a public holiday: withdrawal-period.ts), whether or not service started -> cancelled
 * with withdrawn = true.
 */
export async function withdrawContract(deps: TenantDeps, input: TWithdrawContractInput) {
  const contract = await loadContract(deps, input.contractId);
  assertTransition(contract, 'withdraw');
  if (!contract.consumer) throw conflict(`Le contrat ${contract.number} n'a pas été souscrit par un consommateur : pas de droit de rétractation`);
  const signedOn = contract.signedOn ? isoDay(contract.signedOn) : null;
  if (!signedOn) throw conflict(`Le contrat ${contract.number} n'a pas été signé`);
  if (!withinWithdrawalPeriod(signedOn, parisDate(deps.now))) {
    throw conflict(
      `Délai de rétractation expiré : le contrat ${contract.number} a été signé le ${frDate(signedOn)}, rétractation possible jusqu'au ${frDate(withdrawalDeadline(signedOn))} inclus`,
    );
  }
  const reason = input.reason || 'Rétractation du consommateur';
  await applyTransition(deps, contract, 'withdraw', { cancelledAt: deps.now, cancellationReason: reason, withdrawn: true }, reason);
  await emitEvent(deps.tx, {
    type: 'contract.cancelled',
    tenantId: deps.actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, reason, withdrawn: true },
  });
  return reload(deps, contract.id);
}

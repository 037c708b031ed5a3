import type { DocumentDeps } from '../documents/document-view.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { ClientInfo, TenantDeps } from '../shared/context.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import { fold } from '../shared/text.ts';
import type {
  TCancelContractInput,
  TContractIdInput,
  TContractStateInput,
  TSignContractInput,
  TTerminateContractInput,
  TWithdrawContractInput,
} from './contracts.schema.ts';
import { normaliseDebtorIban } from './contract-draft.ts';
import { contractPdfData } from './contract-documents.ts';
import { CONTRACT_PDF_LAYOUT, renderContractPdf, sha256Hex } from './contract-pdf.ts';
import { applyTransition, assertTransition } from './contract-state.ts';
import { isoDay, loadContract, parisDate, toContractView } from './contract-view.ts';
import { SIGNATURE_CONSENT_TEXT } from './legal-texts.ts';
import { withdrawalDeadline, withinWithdrawalPeriod } from './withdrawal-period.ts';


const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const reload = async (deps: TenantDeps, contractId: string) => toContractView(await loadContract(deps, contractId), deps.actor.role);

/** draft -> sent. A direct-debit contract needs its debtor's name and a valid IBAN first. */
export async function sendContract(deps: TenantDeps, input: TContractIdInput) {
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
  return reload(deps, contract.id);
}

/** Words of a name, folded: case, accents, hyphens and apostrophes do not matter. */
const words = (value: string) => ` ${fold(value).replace(/[^a-z0-9]+/g, ' ').trim()} `;

/**
 * sent -> signed, by simple electronic signature in front of the rep: the typed name must contain
 * the client's last name (or company name), consent is explicit, and the evidence (time, IP and
 * user agent from the request, sha256 of the exact PDF) is recorded with contract.signed in the
 * same transaction. The exact PDF signed is kept as the contract's `signed_contract` document
 * (never deletable), with that sha256, by the worker's documents consumer on contract.signed
 * (store-signed-contract.ts): downloads of the signed contract serve those bytes once stored.
 */
export async function signContract(deps: DocumentDeps, input: TSignContractInput, request: ClientInfo) {
  const { tx, actor, now } = deps;
  const contract = await loadContract(deps, input.contractId);
  assertTransition(contract, 'sign');
  const expected = contract.client.kind === 'company' ? contract.client.companyName : contract.client.lastName;
  if (!expected || !words(input.signerName).includes(words(expected))) {
    throw badRequest('Le nom saisi ne correspond pas au client', { signerName: [`Saisissez le nom du client (${expected ?? contract.client.displayName})`] });
  }
  // The mandate says where it was signed: typed at signature, else the client's city.
  const signedPlace = input.signedPlace ?? contract.client.city?.trim() ?? null;
  if (!signedPlace && contract.paymentMethod === 'sepa_debit') {
    throw badRequest('Lieu de signature requis : il figure sur le mandat SEPA', { signedPlace: ['Lieu de signature requis (la ville du client est inconnue)'] });
  }
  const pdf = await renderContractPdf(await contractPdfData(deps, contract));
  const signedDocumentSha256 = sha256Hex(pdf);
  await applyTransition(deps, contract, 'sign', {
    signedAt: now,
    signedPlace: signedPlace || null,
    documentLayout: CONTRACT_PDF_LAYOUT,
    signedOn: new Date(parisDate(now)),
    signerName: input.signerName,
    signerIp: request.ip ?? null,
    signerUserAgent: request.userAgent?.slice(0, 500) ?? null,
    signedDocumentSha256,
    consentText: SIGNATURE_CONSENT_TEXT,
  });
  await emitEvent(tx, {
    type: 'contract.signed',
    tenantId: actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, salesRepId: contract.salesRepId, signedAt: now.toISOString() },
  });
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

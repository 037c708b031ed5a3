import type { Tx } from '@crm/db';
import { emitEvent } from '../events/emit-event.ts';
import type { ClientInfo } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { fold } from '../shared/text.ts';
import { contractPdfData } from './contract-documents.ts';
import { CONTRACT_PDF_LAYOUT, renderContractPdf, sha256Hex, traderForWithdrawal, type ContractPdfData, type PdfSignature } from './contract-pdf.ts';
import { applyTransition, assertTransition, type TransitionActor } from './contract-state.ts';
import { parisDate, type ContractRow } from './contract-view.ts';
import { legalTextsFor, type LegalTexts } from './legal-texts.ts';
import { toSnapshotJson, type SigningDelivery } from './signature-snapshot.ts';

export const SIGNING_CHANNELS = ['in_app', 'hand_over', 'remote'] as const;
export type SigningChannel = (typeof SIGNING_CHANNELS)[number];

/** The legal texts of a contract as its PDFs print them: what a signer is shown and signing keeps. */
export function contractLegalTexts(data: Pick<ContractPdfData, 'organisation' | 'paymentMethod' | 'sepaScheme' | 'consumer'>): LegalTexts {
  return legalTextsFor(data, data.organisation.legalName ?? data.organisation.name, traderForWithdrawal(data.organisation));
}

/** The words of a name, folded (case, accents, hyphens and apostrophes do not matter), sorted. */
const nameWords = (value: string) => fold(value).replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean).sort().join(' ');

/**
 * Who may sign for the client. A person: the typed name is the client's own (first and last
 * names, in either order, whatever the case, accents or hyphens). A company: a person signs for
 * it, so their name and the capacity they sign in ("gérant", "présidente") are both required
 * and kept.
 */
export function checkSigner(
  client: Pick<ContractRow['client'], 'kind' | 'firstName' | 'lastName' | 'displayName'>,
  signer: { signerName: string; signerCapacity?: string | null | undefined },
): { signerName: string; signerCapacity: string | null } {
  const signerName = signer.signerName.trim();
  if (client.kind === 'company') {
    const capacity = signer.signerCapacity?.trim() ?? '';
    if (!capacity) throw badRequest('Précisez en quelle qualité le signataire engage la société', { signerCapacity: ['Qualité du signataire requise (gérant, président…)'] });
    return { signerName, signerCapacity: capacity };
  }
  const expected = [client.firstName, client.lastName].filter(Boolean).join(' ') || client.displayName;
  if (nameWords(signerName) !== nameWords(expected)) {
    throw badRequest('Le nom saisi ne correspond pas au client', { signerName: [`Saisissez le nom du client : ${expected}`] });
  }
  return { signerName, signerCapacity: null };
}

export interface SignatureFacts {
  signerName: string;
  signerCapacity?: string | null | undefined;
  /** Where the client signs; the client's city when not given. */
  signedPlace?: string | null | undefined;
  channel: SigningChannel;
  request: ClientInfo;
  /** The remote path's delivery record. */
  delivery?: SigningDelivery | null;
}

/**
 * sent -> signed, the same on every path (in the app, the hand-over mode, a mailed link): the
 * signer is checked against the client, the data of the PDFs is frozen in the signature snapshot
 * with the legal texts the signer was shown (the constants the API served), the sha256 of the
 * document presented is recorded with the time, IP and user agent of the request, and
 * contract.signed goes to the outbox in the same transaction. The worker stores the signed copy
 * from the snapshot (store-signed-contract.ts).
 */
export async function recordSignature(
  deps: { tx: Tx; actor: TransitionActor; now: Date },
  contract: ContractRow,
  facts: SignatureFacts,
): Promise<void> {
  const { tx, actor, now } = deps;
  assertTransition(contract, 'sign');
  const signer = checkSigner(contract.client, facts);
  // The mandate says where it was signed: typed at signature, else the client's city.
  const signedPlace = facts.signedPlace?.trim() || contract.client.city?.trim() || null;
  if (!signedPlace && contract.paymentMethod === 'sepa_debit') {
    throw badRequest('Lieu de signature requis : il figure sur le mandat SEPA', { signedPlace: ['Lieu de signature requis (la ville du client est inconnue)'] });
  }
  const data = await contractPdfData(deps, { ...contract, signedDocumentSha256: null });
  const legal = contractLegalTexts(data);
  const presentedSha256 = sha256Hex(await renderContractPdf(data));
  const signature: PdfSignature = { ...signer, signedAt: now, signedPlace, presentedSha256, channel: facts.channel };
  await applyTransition(deps, contract, 'sign', {
    signedAt: now,
    signedPlace,
    documentLayout: CONTRACT_PDF_LAYOUT,
    signedOn: new Date(parisDate(now)),
    signerName: signer.signerName,
    signerCapacity: signer.signerCapacity,
    signerIp: facts.request.ip ?? null,
    signerUserAgent: facts.request.userAgent?.slice(0, 500) ?? null,
    signedDocumentSha256: presentedSha256,
    consentText: legal.signatureConsent,
    signingChannel: facts.channel,
    signatureSnapshot: toSnapshotJson({ version: 1, pdf: data, legal, signature, delivery: facts.delivery ?? null }),
  });
  await emitEvent(tx, {
    type: 'contract.signed',
    tenantId: actor.tenantId,
    payload: { contractId: contract.id, clientId: contract.clientId, salesRepId: contract.salesRepId, signedAt: now.toISOString(), channel: facts.channel },
  });
}

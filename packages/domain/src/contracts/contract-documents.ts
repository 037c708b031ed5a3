import type { DocumentDeps } from '../documents/document-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import type { TContractIdInput } from './contracts.schema.ts';
import { CONTRACT_PDF_LAYOUT, renderContractPdf, renderMandatePdf, sha256Hex, type ContractPdfData } from './contract-pdf.ts';
import { addDays } from '../calendar/business-days.ts';
import { isDormant, mandateLapseDate } from '../payments/mandates.ts';
import { isoDay, loadContract, parisDate, type ContractRow } from './contract-view.ts';
import { fromSnapshotJson } from './signature-snapshot.ts';

/** What the PDFs of `contract` show, read in the caller's transaction. */
export async function contractPdfData({ tx, actor }: Pick<TenantDeps, 'tx'> & { actor: { tenantId: string } }, contract: ContractRow): Promise<ContractPdfData> {
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: actor.tenantId },
    select: {
      name: true,
      legalName: true,
      legalForm: true,
      siren: true,
      vatNumber: true,
      addressLine1: true,
      addressLine2: true,
      postalCode: true,
      city: true,
      country: true,
      sepaCreditorId: true,
      contactEmail: true,
      sepaDebitDay: true,
      sepaPreNotificationDays: true,
    },
  });
  const { sepaDebitDay, sepaPreNotificationDays, ...identity } = organisation;
  const c = contract.client;
  return {
    organisation: identity,
    client: {
      displayName: c.displayName,
      kind: c.kind,
      addressLine1: c.addressLine1,
      addressLine2: c.addressLine2,
      postalCode: c.postalCode,
      city: c.city,
      country: c.country,
      email: c.email,
    },
    // A signed contract is shown as it was signed; before, as it will be.
    layout: contract.signedDocumentSha256 ? (contract.documentLayout ?? 1) : CONTRACT_PDF_LAYOUT,
    number: contract.number,
    billingFrequency: contract.billingFrequency,
    startDate: isoDay(contract.startDate),
    durationMonths: contract.durationMonths,
    tacitRenewal: contract.tacitRenewal,
    paymentMethod: contract.paymentMethod,
    consumer: contract.consumer,
    debitDay: contract.debitDay ?? sepaDebitDay,
    preNotificationDays: contract.preNotificationDays ?? sepaPreNotificationDays,
    debtorName: contract.debtorName,
    debtorIban: contract.debtorIban,
    debtorBic: contract.debtorBic,
    sepaScheme: contract.sepaScheme,
    lines: contract.lines.map((line) => ({
      label: line.label,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      vatRateBasisPoints: line.vatRateBasisPoints,
    })),
    createdAt: contract.createdAt,
    // Fixed once the contract is sent (a sent contract can no longer change): the document signed.
    modifiedAt: contract.sentAt ?? contract.createdAt,
  };
}

/** The name of the signed contract's document (ASCII: it also goes in a plain Content-Disposition). */
export const signedContractFileName = (number: string) => `contrat-${number}-signe.pdf`;

/**
 * The contract PDF: as presented for signature, generated from the contract's data; once signed,
 * the signed copy stored by the worker (its `signed_contract` document), checked against the
 * document's sha256 before it is served; not stored yet, the signed copy rendered from the
 * signature snapshot (the same bytes the worker will store). A contract signed before snapshots
 * and stored copies existed is generated again from its data, as it always was.
 */
export async function contractPdf(deps: DocumentDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  if (contract.signedDocumentSha256) {
    const stored = await storedSignedContract(deps, contract.id);
    if (stored) return { fileName: signedContractFileName(contract.number), bytes: stored };
    const snapshot = fromSnapshotJson(contract.signatureSnapshot);
    if (snapshot) return { fileName: signedContractFileName(contract.number), bytes: await renderContractPdf(snapshot.pdf, snapshot.signature) };
  }
  return { fileName: `contrat-${contract.number}.pdf`, bytes: await renderContractPdf(await contractPdfData(deps, contract)) };
}

/** The signed copy, from the document storage; null when none was stored (yet, or signed before they were). */
async function storedSignedContract(deps: DocumentDeps, contractId: string): Promise<Uint8Array | null> {
  const document = await deps.tx.document.findFirst({
    where: { tenantId: deps.actor.tenantId, contractId, kind: 'signed_contract' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, storageKey: true, sha256: true },
  });
  if (!document) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.documents.storage.get(document.storageKey)) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  // A lost or altered file is a fault of ours, never served as the signed contract.
  if (sha256Hex(bytes) !== document.sha256) throw new Error(`document ${document.id}: stored bytes do not match the signed sha256`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The SEPA mandate PDF of a contract paid by direct debit. Once the mandate exists (made at
 * signature), everything it says comes from the mandate as it stands: RUM, scheme, debtor, account
 * (an amendment may have changed them since the contract), where and when it was signed,
 * recurrent or one-off, and its status when no longer usable. Before, what the contract will give it.
 */
export async function mandatePdf(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  if (contract.paymentMethod !== 'sepa_debit') throw conflict(`Le contrat ${contract.number} n'est pas payé par prélèvement SEPA`);
  const mandate = await deps.tx.sepaMandate.findFirst({
    where: { tenantId: deps.actor.tenantId, contractId: contract.id },
    orderBy: { createdAt: 'desc' },
  });
  const data = await contractPdfData(deps, contract);
  const lapsed = mandate?.status === 'active' && isDormant(mandate, parisDate(deps.now));
  const bytes = await renderMandatePdf({
    ...data,
    sepaScheme: mandate?.scheme ?? data.sepaScheme,
    debtorName: mandate?.debtorName ?? data.debtorName,
    debtorIban: mandate?.iban ?? data.debtorIban,
    debtorBic: mandate ? mandate.bic : data.debtorBic,
    rum: mandate?.rum ?? null,
    signedOn: mandate ? isoDay(mandate.signedOn) : contract.signedOn ? isoDay(contract.signedOn) : null,
    signedPlace: mandate?.signedPlace || contract.signedPlace || null,
    signerName: contract.signerName,
    recurrent: mandate ? mandate.recurrent : contract.billingFrequency !== 'one_off',
    mandateStatus:
      mandate && (mandate.status !== 'active' || lapsed)
        ? {
            status: lapsed ? 'expired' : mandate.status,
            on: mandate.status === 'revoked' ? (mandate.revokedAt ? parisDate(mandate.revokedAt) : null) : addDays(mandateLapseDate(mandate), 1),
          }
        : null,
  });
  return { fileName: `mandat-sepa-${contract.number}.pdf`, bytes };
}

/**
 * Regenerates the document presented for signature and compares its sha256 with the one recorded
 * at signature: from the signature snapshot when there is one (`valid` is false only if the frozen
 * data was altered), else from the contract's data (a contract signed before snapshots: false if
 * anything shown changed). `dataChangedSinceSignature` says whether the contract's data as it
 * stands would no longer give the signed document (an address, a label changed since: the signed
 * copy is unaffected).
 */
export async function verifySignedContract(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  if (!contract.signedDocumentSha256) throw conflict(`Le contrat ${contract.number} n'a pas été signé`);
  const snapshot = fromSnapshotJson(contract.signatureSnapshot);
  const fromData = sha256Hex(await renderContractPdf(await contractPdfData(deps, contract)));
  const computedSha256 = snapshot ? sha256Hex(await renderContractPdf(snapshot.pdf)) : fromData;
  return {
    valid: computedSha256 === contract.signedDocumentSha256,
    signedDocumentSha256: contract.signedDocumentSha256,
    computedSha256,
    dataChangedSinceSignature: fromData !== contract.signedDocumentSha256,
  };
}

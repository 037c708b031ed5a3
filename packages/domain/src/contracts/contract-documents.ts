import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import type { TContractIdInput } from './contracts.schema.ts';
import { renderContractPdf, renderMandatePdf, sha256Hex, type ContractPdfData } from './contract-pdf.ts';
import { isoDay, loadContract, type ContractRow } from './contract-view.ts';

/** What the PDFs of `contract` show, read in the caller's transaction. */
export async function contractPdfData({ tx, actor }: TenantDeps, contract: ContractRow): Promise<ContractPdfData> {
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

/** The contract PDF as presented for signature (after signing: the very bytes whose hash was recorded). */
export async function contractPdf(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  return { fileName: `contrat-${contract.number}.pdf`, bytes: await renderContractPdf(await contractPdfData(deps, contract)) };
}

/** The SEPA mandate PDF of a contract paid by direct debit, with its RUM once one was assigned. */
export async function mandatePdf(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  if (contract.paymentMethod !== 'sepa_debit') throw conflict(`Le contrat ${contract.number} n'est pas payé par prélèvement SEPA`);
  const mandate = await deps.tx.sepaMandate.findFirst({
    where: { tenantId: deps.actor.tenantId, contractId: contract.id },
    orderBy: { createdAt: 'desc' },
    select: { rum: true },
  });
  const data = await contractPdfData(deps, contract);
  const bytes = await renderMandatePdf({
    ...data,
    rum: mandate?.rum ?? null,
    signedOn: contract.signedOn ? isoDay(contract.signedOn) : null,
    signerName: contract.signerName,
  });
  return { fileName: `mandat-sepa-${contract.number}.pdf`, bytes };
}

/**
 * Regenerates the contract PDF from the stored data and compares its sha256 with the one
 * recorded at signature: `valid` is false if anything shown in the signed document changed.
 */
export async function verifySignedContract(deps: TenantDeps, input: TContractIdInput) {
  const contract = await loadContract(deps, input.contractId);
  if (!contract.signedDocumentSha256) throw conflict(`Le contrat ${contract.number} n'a pas été signé`);
  const computedSha256 = sha256Hex(await renderContractPdf(await contractPdfData(deps, contract)));
  return { valid: computedSha256 === contract.signedDocumentSha256, signedDocumentSha256: contract.signedDocumentSha256, computedSha256 };
}

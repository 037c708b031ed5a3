import type { Prisma } from '@crm/db';
import type { ContractPdfData, PdfSignature } from './contract-pdf.ts';
import type { LegalTexts } from './legal-texts.ts';

/** The remote path's delivery record: the link, the mail that carried it and when it went out. */
export interface SigningDelivery {
  linkId: string;
  mailEffectId: string | null;
  mailSentAt: string | null;
  recipient: string;
}

/**
 * What a signature froze (contracts.signature_snapshot): the data of the PDFs as presented, the
 * legal texts the signer was shown, and the signature that fills the signed copy's block. The
 * worker, the download and the verification render from it, never from data that may have
 * changed since (an organisation's address, a client's, a product's label).
 */
export interface SignatureSnapshot {
  version: 1;
  pdf: ContractPdfData;
  legal: LegalTexts;
  signature: PdfSignature;
  delivery: SigningDelivery | null;
}

/** The snapshot as stored (JSON: dates as ISO strings). */
export function toSnapshotJson(snapshot: SignatureSnapshot): Prisma.InputJsonValue {
  const { pdf, signature } = snapshot;
  return JSON.parse(
    JSON.stringify({
      ...snapshot,
      pdf: { ...pdf, createdAt: pdf.createdAt.toISOString(), modifiedAt: pdf.modifiedAt.toISOString() },
      signature: { ...signature, signedAt: signature.signedAt.toISOString() },
    }),
  ) as Prisma.InputJsonValue;
}

/** The stored snapshot read back (null for a contract signed before snapshots were kept). */
export function fromSnapshotJson(json: Prisma.JsonValue | null): SignatureSnapshot | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const raw = json as unknown as SignatureSnapshot & {
    pdf: ContractPdfData & { createdAt: string; modifiedAt: string };
    signature: PdfSignature & { signedAt: string };
  };
  if (raw.version !== 1) throw new Error(`unknown signature snapshot version ${String(raw.version)}`);
  return {
    ...raw,
    pdf: { ...raw.pdf, createdAt: new Date(raw.pdf.createdAt), modifiedAt: new Date(raw.pdf.modifiedAt) },
    signature: { ...raw.signature, signedAt: new Date(raw.signature.signedAt) },
  };
}

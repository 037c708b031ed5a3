import { afterRollback, newId, type Prisma, type Tx } from '@crm/db';
import { unzipSync } from 'fflate';
import { recordAudit } from '../audit/record-audit.ts';
import { readDocumentContent } from '../documents/document-content.ts';
import { documentStorageKey, type DocumentStorage } from '../documents/document-storage.ts';
import type { MailevaClient } from '../maileva/maileva-client.ts';
import type { TLetterService } from './letters.schema.ts';

/** One entry of a letter's status trail, oldest first. */
export interface LetterHistoryEntry {
  at: string;
  /** `submitted`, a sending status (ACCEPTED, PROCESSED...), a delivery code (A01, D01, N01...), or `proof:<kind>`. */
  code: string;
  label: string;
}

export interface RefreshLetterContext {
  tx: Tx;
  tenantId: string;
  now: Date;
  maileva: MailevaClient;
  storage: DocumentStorage;
}

const SENDING_LABELS: Record<string, string> = {
  PENDING: 'En attente de traitement chez Maileva',
  ACCEPTED: 'Accepté par Maileva',
  REJECTED: 'Refusé par Maileva',
  PROCESSED: 'Imprimé et remis à La Poste',
  PROCESSED_WITH_ERRORS: 'Traité avec des erreurs',
};

/** Maileva's sending statuses after which nothing but proofs and archives come. */
const FINAL_SENDING_STATUSES = ['REJECTED'];

const PROOFS = {
  deposit: { column: 'depositProofDocumentId', fileName: 'preuve-de-depot', label: 'Preuve de dépôt reçue' },
  acknowledgement: { column: 'acknowledgementDocumentId', fileName: 'avis-de-reception', label: 'Avis de réception reçu' },
  archive: { column: 'archiveDocumentId', fileName: 'copie-archivee', label: 'Copie archivée reçue' },
} as const;
type ProofKind = keyof typeof PROOFS;

/**
 * Reads a submitted letter's state back from Maileva (a webhook's payload carries no status, and
 * the reconciliation job asks for those no webhook updated): the sending's status, the
 * recipient's delivery statuses, postage and registered number, and the proofs (deposit proof,
 * acknowledgement of receipt, archived copy), each stored once as a `letter_proof` document of
 * the client. The row is locked first, so two webhooks at once store a proof once; asking again
 * changes nothing (the trail is merged, proofs already stored are kept).
 */
export async function refreshLetter(ctx: RefreshLetterContext, letterId: string): Promise<{ changed: boolean }> {
  const { tx, tenantId, now, maileva } = ctx;
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM letters WHERE tenant_id = ${tenantId}::uuid AND id = ${letterId}::uuid FOR UPDATE`;
  if (locked.length === 0) return { changed: false };
  const letter = await tx.letter.findFirstOrThrow({ where: { tenantId, id: letterId } });
  if (!letter.sendingId || letter.status !== 'submitted') return { changed: false };
  const service = letter.service as TLetterService;
  const sending = await maileva.getSending(service, letter.sendingId);
  const recipients = await maileva.listRecipients(service, letter.sendingId);
  const recipient = (letter.recipientId ? recipients.find((r) => r.id === letter.recipientId) : undefined) ?? recipients[0];
  const deliveries = recipient && service !== 'simple' ? await maileva.deliveryStatuses(service, letter.sendingId, recipient.id) : [];

  const history = [...((letter.history as unknown as LetterHistoryEntry[] | null) ?? [])];
  const seen = new Set(history.map((h) => h.code));
  const add = (code: string | undefined, label: string, at: string | undefined) => {
    if (!code || seen.has(code)) return;
    seen.add(code);
    history.push({ at: at ?? now.toISOString(), code, label });
  };
  if (sending.status) add(sending.status, SENDING_LABELS[sending.status] ?? sending.status, sending.status === 'PROCESSED' ? sending.processed_date : undefined);
  for (const d of deliveries) add(d.status, d.label ?? d.status ?? '', d.date);
  if (recipient?.last_delivery_status && !deliveries.length) add(recipient.last_delivery_status, recipient.last_delivery_status, recipient.last_delivery_status_date);

  const proofs: Partial<Record<ProofKind, string>> = {};
  const wants: [ProofKind, boolean, string][] = [
    ['deposit', service !== 'simple' && !letter.depositProofDocumentId && Boolean(sending.deposit_proof_date), `/sendings/${letter.sendingId}/download_deposit_proof`],
    [
      'acknowledgement',
      service === 'registered_with_ack' && !letter.acknowledgementDocumentId && Boolean(recipient?.acknowledgement_of_receipt_archive_date),
      `/sendings/${letter.sendingId}/recipients/${recipient?.id ?? ''}/download_acknowledgement_of_receipt`,
    ],
    ['archive', !letter.archiveDocumentId && Boolean(recipient?.archive_date), `/sendings/${letter.sendingId}/recipients/${recipient?.id ?? ''}/download_archive`],
  ];
  for (const [kind, wanted, path] of wants) {
    if (!wanted) continue;
    const zip = await maileva.download(service, path);
    const pdf = zip ? firstPdfOf(zip) : null;
    if (!pdf) continue; // not there yet: the next webhook or reconciliation takes it
    proofs[kind] = await storeProof(ctx, letter, kind, pdf);
    add(`proof:${kind}`, PROOFS[kind].label, now.toISOString());
  }

  const postageCents = recipient?.postage_price !== undefined ? Math.round(recipient.postage_price * 100) : letter.postageCents;
  await tx.letter.update({
    where: { tenantId_id: { tenantId, id: letterId } },
    data: {
      providerStatus: sending.status ?? letter.providerStatus,
      deliveryStatus: recipient?.last_delivery_status ?? deliveries.at(-1)?.status ?? letter.deliveryStatus,
      registeredNumber: recipient?.registered_number ?? letter.registeredNumber,
      recipientId: recipient?.id ?? letter.recipientId,
      postageCents,
      history: history as unknown as Prisma.InputJsonArray,
      statusCheckedAt: now,
      updatedAt: now,
      ...(proofs.deposit ? { depositProofDocumentId: proofs.deposit } : {}),
      ...(proofs.acknowledgement ? { acknowledgementDocumentId: proofs.acknowledgement } : {}),
      ...(proofs.archive ? { archiveDocumentId: proofs.archive } : {}),
    },
  });
  return { changed: history.length !== ((letter.history as unknown[] | null) ?? []).length || Object.keys(proofs).length > 0 };
}

/** Whether Maileva will say anything more about the letter (the reconciliation stops asking after). */
export function isLetterSettled(letter: { service: string; providerStatus: string | null; archiveDocumentId: string | null; acknowledgementDocumentId: string | null }): boolean {
  if (letter.providerStatus && FINAL_SENDING_STATUSES.includes(letter.providerStatus)) return true;
  return letter.archiveDocumentId !== null && (letter.service !== 'registered_with_ack' || letter.acknowledgementDocumentId !== null);
}

/** Maileva's proofs come as ZIP files holding a PDF; a bare PDF is taken as it is. */
export function firstPdfOf(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return bytes; // %PDF
  try {
    const files = unzipSync(bytes, { filter: (file) => file.name.toLowerCase().endsWith('.pdf') && file.originalSize <= 50 * 1024 * 1024 });
    const first = Object.keys(files).sort()[0];
    return first ? files[first]! : null;
  } catch {
    return null;
  }
}

async function storeProof(ctx: RefreshLetterContext, letter: { id: string; clientId: string; reference: string }, kind: ProofKind, pdf: Uint8Array): Promise<string> {
  const { tx, tenantId, now, storage } = ctx;
  const content = await readDocumentContent(pdf, 50 * 1024 * 1024);
  const id = newId();
  const storageKey = documentStorageKey(tenantId, id, now);
  afterRollback(tx, () => storage.delete(storageKey));
  await storage.put(storageKey, content.bytes);
  const fileName = `${PROOFS[kind].fileName}-${letter.reference.slice(-12)}.pdf`;
  await tx.document.create({
    data: { id, tenantId, clientId: letter.clientId, kind: 'letter_proof', fileName, mimeType: 'application/pdf', sizeBytes: content.sizeBytes, sha256: content.sha256, storageKey, createdBy: null, createdAt: now },
  });
  await recordAudit(tx, {
    tenantId,
    actorUserId: null,
    action: 'document.stored',
    entityType: 'document',
    entityId: id,
    data: { kind: 'letter_proof', proof: kind, letterId: letter.id, fileName, sizeBytes: content.sizeBytes, sha256: content.sha256, clientId: letter.clientId, by: 'system:letters' },
  });
  return id;
}

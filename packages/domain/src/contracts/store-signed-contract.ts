import { afterRollback, newId, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { readDocumentContent } from '../documents/document-content.ts';
import { documentStorageKey } from '../documents/document-storage.ts';
import type { EventEnvelope } from '../events/catalogue.ts';
import { PermanentEventError } from '../events/event-handler.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { contractPdfData, signedContractFileName } from './contract-documents.ts';
import { renderContractPdf, sha256Hex } from './contract-pdf.ts';
import { loadContract } from './contract-view.ts';

/** No size limit of an upload applies to what the application renders itself; a sanity bound only. */
const MAX_RENDERED_BYTES = 50 * 1024 * 1024;

/**
 * The documents consumer group on contract.signed: keeps the exact PDF signed as the contract's
 * `signed_contract` document (never deletable), rendered again from the data the signature
 * fixed and checked against the sha256 recorded at signature. Idempotent: a document with that
 * hash already there is kept as it is. The row names who signed and when (the signing state
 * change), as it did when the API stored it. The bytes go to the storage first and are removed
 * if the transaction rolls back (a failed write included).
 *
 * If what the contract shows changed between the signature and this handler (the rendering no
 * longer gives the signed hash), nothing is stored: a permanent error, dead-lettered, for an
 * operator to see; downloads then fall back to rendering, and the verification says it differs.
 */
export async function storeSignedContractOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  if (event.type !== 'contract.signed') return;
  const { contractId } = (event as EventEnvelope<'contract.signed'>).payload;
  await storeSignedContract(tx, event.tenantId, contractId, { now: deps.now, storage: deps.storage, by: deps.actor.name });
}

/** The same outside the worker (the demo seed): idempotent, so the worker then finds it done. */
export async function storeSignedContract(tx: Tx, tenantId: string, contractId: string, deps: { now: Date; storage: DocumentStorage; by: string }): Promise<void> {
  const exists = await tx.contract.findFirst({ where: { id: contractId, tenantId }, select: { signedDocumentSha256: true } });
  const sha256 = exists?.signedDocumentSha256;
  if (!sha256) return; // not found under this tenant, or never signed: nothing to keep
  const stored = await tx.document.findFirst({ where: { tenantId, contractId, kind: 'signed_contract', sha256 }, select: { id: true } });
  if (stored) return;

  const scope = { tx, actor: { tenantId } };
  const contract = await loadContract(scope, contractId);
  const pdf = await renderContractPdf(await contractPdfData(scope, contract));
  if (sha256Hex(pdf) !== sha256) {
    throw new PermanentEventError(`contract ${contractId}: the rendered PDF no longer matches the sha256 recorded at signature; not stored`);
  }
  const signing = await tx.contractStateChange.findFirst({
    where: { tenantId, contractId, toStatus: 'signed' },
    orderBy: { at: 'desc' },
    select: { actorUserId: true, at: true },
  });
  const content = await readDocumentContent(pdf, MAX_RENDERED_BYTES);
  const id = newId();
  const storageKey = documentStorageKey(tenantId, id, deps.now);
  // Registered first: a put that wrote some bytes and then failed is cleaned up too.
  afterRollback(tx, () => deps.storage.delete(storageKey));
  await deps.storage.put(storageKey, content.bytes);
  const fileName = signedContractFileName(contract.number);
  await tx.document.create({
    data: {
      id,
      tenantId,
      clientId: contract.clientId,
      contractId,
      kind: 'signed_contract',
      fileName,
      mimeType: 'application/pdf',
      sizeBytes: content.sizeBytes,
      sha256: content.sha256,
      storageKey,
      createdBy: signing?.actorUserId ?? null,
      createdAt: contract.signedAt ?? signing?.at ?? deps.now,
    },
  });
  await recordAudit(tx, {
    tenantId,
    actorUserId: null,
    action: 'document.stored',
    entityType: 'document',
    entityId: id,
    data: { kind: 'signed_contract', fileName, mimeType: 'application/pdf', sizeBytes: content.sizeBytes, sha256: content.sha256, clientId: contract.clientId, contractId, by: deps.by },
  });
}

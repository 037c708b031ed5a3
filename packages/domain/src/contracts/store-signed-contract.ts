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
import { fromSnapshotJson } from './signature-snapshot.ts';

/** No size limit of an upload applies to what the application renders itself; a sanity bound only. */
const MAX_RENDERED_BYTES = 50 * 1024 * 1024;

/**
 * The documents consumer group on contract.signed: keeps the signed copy as the contract's
 * `signed_contract` document (never deletable): the document presented, rendered from the
 * signature snapshot (the data frozen at signature, so nothing changed since can alter it) and
 * checked against the sha256 recorded at signature, with its signature block filled (name,
 * capacity, date, time, place, that sha256). Idempotent: a signed copy already there is kept as it
 * is. The row names who signed and when (the signing state change). The bytes go to the storage
 * first and are removed if the transaction rolls back (a failed write included).
 *
 * A contract signed before snapshots were kept is rendered from its data, as before: if that no
 * longer gives the signed hash, nothing is stored (a permanent error, dead-lettered, for an
 * operator to see). A snapshot that no longer gives it was altered: the same.
 */
export async function storeSignedContractOnEvent(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void> {
  if (event.type !== 'contract.signed') return;
  const { contractId } = (event as EventEnvelope<'contract.signed'>).payload;
  await storeSignedContract(tx, event.tenantId, contractId, { now: deps.now, storage: deps.storage, by: deps.actor.name });
}

/** The same outside the worker (the demo seed): idempotent, so the worker then finds it done. */
export async function storeSignedContract(tx: Tx, tenantId: string, contractId: string, deps: { now: Date; storage: DocumentStorage; by: string }): Promise<void> {
  const exists = await tx.contract.findFirst({ where: { id: contractId, tenantId }, select: { signedDocumentSha256: true, signatureSnapshot: true } });
  const sha256 = exists?.signedDocumentSha256;
  if (!sha256) return; // not found under this tenant, or never signed: nothing to keep
  const snapshot = fromSnapshotJson(exists.signatureSnapshot);
  const stored = await tx.document.findFirst({ where: { tenantId, contractId, kind: 'signed_contract', ...(snapshot ? {} : { sha256 }) }, select: { id: true } });
  if (stored) return;

  const scope = { tx, actor: { tenantId } };
  const contract = await loadContract(scope, contractId);
  const data = snapshot?.pdf ?? (await contractPdfData(scope, contract));
  const presented = await renderContractPdf(data);
  if (sha256Hex(presented) !== sha256) {
    throw new PermanentEventError(`contract ${contractId}: the rendered PDF no longer matches the sha256 recorded at signature; not stored`);
  }
  const pdf = snapshot ? await renderContractPdf(data, snapshot.signature) : presented;
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

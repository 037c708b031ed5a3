import { afterRollback, newId, type Tx } from '@crm/db';
import { auditAs, recordAudit } from '../audit/record-audit.ts';
import { badRequest, FileTooLargeError, notFound } from '../shared/errors.ts';
import { detectDocumentType, readDocumentContent, type DocumentContent } from './document-content.ts';
import { documentStorageKey, type DocumentStorage } from './document-storage.ts';
import { DOCUMENT_COLUMNS, loadDocumentTarget, toDocumentViews, type DocumentDeps, type DocumentView } from './document-view.ts';
import { isUploadableKind, ZDocumentFileName, type DocumentKind, type TUploadDocumentInput } from './documents.schema.ts';

/**
 * Stores a file a member uploaded (identity papers, bank details, a scan) against a
 * client or a contract. The content decides the type (PDF, PNG, JPEG, WebP), not the name; the
 * bytes go to the storage under a key made of ids, then the row is written. `content` is read
 * before the transaction opens (`readDocumentContent`), so a slow upload holds no transaction.
 */
export async function uploadDocument(deps: DocumentDeps, input: TUploadDocumentInput & { content: DocumentContent }): Promise<DocumentView> {
  // The schema says so too; the rule is the domain's, whatever route or caller brings the upload.
  if (!isUploadableKind(input.kind)) throw badRequest('Nature de document réservée à l’application', { kind: ['Ce type de document ne se dépose pas : il est produit par l’application'] });
  const target = await loadDocumentTarget(deps, input);
  return storeDocument(deps, { ...target, kind: input.kind, fileName: input.fileName, content: input.content });
}

/**
 * Stores a document the application made (a contract's or a mandate's PDF) against a contract
 * or a client, with the same checks, key scheme and sha256 as an upload. For the contracts
 * domain, inside its own transaction: `deps.documents` is the storage the API was built with.
 */
export async function storeGeneratedDocument(
  deps: DocumentDeps,
  input: { clientId?: string; contractId?: string; kind: DocumentKind; fileName: string; bytes: Uint8Array },
): Promise<DocumentView> {
  const target = await loadDocumentTarget(deps, input);
  const content = await readDocumentContent(input.bytes, deps.documents.maxBytes);
  return storeDocument(deps, { ...target, kind: input.kind, fileName: ZDocumentFileName.parse(input.fileName), content });
}

/**
 * Stores a document the application made for a sales rep (a commission statement, a self-billing
 * invoice): the rep owns it, not a client; the same checks, key scheme and sha256 as any other.
 * Written by the statement issuance (a member) or the daily job (no member: `createdBy` null).
 */
export async function storeRepDocument(
  deps: { tx: Tx; tenantId: string; now: Date; storage: DocumentStorage; maxBytes: number; createdBy: string | null },
  input: { salesRepId: string; kind: 'commission_statement' | 'commission_self_billing'; fileName: string; bytes: Uint8Array },
): Promise<{ id: string; sha256: string }> {
  const { tx, tenantId, now, storage } = deps;
  const rep = await tx.salesRep.findFirst({ where: { tenantId, id: input.salesRepId }, select: { id: true } });
  if (!rep) throw notFound('Commercial');
  const content = await readDocumentContent(input.bytes, deps.maxBytes);
  const mimeType = detectDocumentType(content.bytes);
  const id = newId();
  const storageKey = documentStorageKey(tenantId, id, now);
  await storage.put(storageKey, content.bytes);
  afterRollback(tx, () => storage.delete(storageKey));
  const fileName = ZDocumentFileName.parse(input.fileName);
  await tx.document.create({
    data: { id, tenantId, salesRepId: rep.id, kind: input.kind, fileName, mimeType, sizeBytes: content.sizeBytes, sha256: content.sha256, storageKey, createdBy: deps.createdBy, createdAt: now },
  });
  await recordAudit(tx, {
    tenantId,
    actorUserId: deps.createdBy,
    action: 'document.stored',
    entityType: 'document',
    entityId: id,
    data: { kind: input.kind, fileName, mimeType, sizeBytes: content.sizeBytes, sha256: content.sha256, salesRepId: rep.id },
  });
  return { id, sha256: content.sha256 };
}

async function storeDocument(
  deps: DocumentDeps,
  input: { clientId: string; contractId: string | null; kind: DocumentKind; fileName: string; content: DocumentContent },
): Promise<DocumentView> {
  const { tx, actor, now, documents } = deps;
  const { content } = input;
  if (content.sizeBytes > documents.maxBytes) throw new FileTooLargeError(documents.maxBytes);
  const mimeType = detectDocumentType(content.bytes);
  const id = newId();
  const storageKey = documentStorageKey(actor.tenantId, id, now);
  await documents.storage.put(storageKey, content.bytes);
  // The bytes live as long as their row: if anything fails from here on, in this use case, in
  // the rest of the transaction or in its commit, the rollback removes them.
  afterRollback(tx, () => documents.storage.delete(storageKey));
  const row = await tx.document.create({
    data: {
      id,
      tenantId: actor.tenantId,
      clientId: input.clientId,
      contractId: input.contractId,
      kind: input.kind,
      fileName: input.fileName,
      mimeType,
      sizeBytes: content.sizeBytes,
      sha256: content.sha256,
      storageKey,
      createdBy: actor.userId,
      createdAt: now,
    },
    select: DOCUMENT_COLUMNS,
  });
  await auditAs(tx, actor, {
    action: 'document.stored',
    entityType: 'document',
    entityId: id,
    data: { kind: input.kind, fileName: input.fileName, mimeType, sizeBytes: content.sizeBytes, sha256: content.sha256, clientId: input.clientId, contractId: input.contractId },
  });
  const [view] = await toDocumentViews(tx, actor.tenantId, [row]);
  return view!;
}

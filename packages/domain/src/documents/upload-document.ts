import { afterRollback, newId } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { badRequest, FileTooLargeError } from '../shared/errors.ts';
import { detectDocumentType, readDocumentContent, type DocumentContent } from './document-content.ts';
import { documentStorageKey } from './document-storage.ts';
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

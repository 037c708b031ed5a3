import { afterCommit } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { conflict } from '../shared/errors.ts';
import { loadDocument, type DocumentDeps } from './document-view.ts';
import { isRetainedKind, type TDocumentIdInput } from './documents.schema.ts';

/**
 * Removes a document filed by mistake: the row, and the bytes once that has committed, so a
 * failure anywhere before leaves both. A signed contract is the proof of the client's consent:
 * it is never deleted.
 */
export async function deleteDocument(deps: DocumentDeps, input: TDocumentIdInput) {
  const document = await loadDocument(deps, input.documentId);
  if (document.kind === 'signed_contract') throw conflict('Un contrat signé est une preuve : il ne peut pas être supprimé');
  if (isRetainedKind(document.kind)) {
    throw conflict('Ce fichier d’une facture émise est conservé dix ans (article L123-22 du Code de commerce) : il ne peut pas être supprimé');
  }
  await deps.tx.document.delete({ where: { tenantId_id: { tenantId: deps.actor.tenantId, id: document.id } } });
  await auditAs(deps.tx, deps.actor, {
    action: 'document.deleted',
    entityType: 'document',
    entityId: document.id,
    data: { kind: document.kind, fileName: document.fileName, sha256: document.sha256, clientId: document.clientId, contractId: document.contractId },
  });
  const { storage } = deps.documents;
  afterCommit(deps.tx, () => storage.delete(document.storageKey));
  return { id: document.id };
}

import { auditAs } from '../audit/record-audit.ts';
import type { DocumentServices } from '../documents/document-storage.ts';
import { loadDocument } from '../documents/document-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { getLetter } from './list-letters.ts';
import { LetterCheckError, planLetterPrint } from './letter-checks.ts';
import { queueLetter } from './queue-letter.ts';
import type { TSendDocumentByPostInput } from './letters.schema.ts';

/**
 * "Send by post": a stored PDF of a client (its own, or one of its contracts': the contract
 * itself, the signed copy) posted to the client's address through Maileva, with the service
 * chosen (simple, registered, registered with acknowledgement of receipt). Checked now (a PDF,
 * its size, the sheets an envelope holds, the address), recorded in this transaction, posted by
 * the worker after the commit. The same `requestId` twice is one letter.
 */
export async function sendDocumentByPost(deps: TenantDeps & { documents: DocumentServices }, input: TSendDocumentByPostInput) {
  const { tx, actor } = deps;
  const document = await loadDocument(deps, input.documentId);
  const clientId = document.clientId ?? (document.contractId ? (await tx.contract.findFirst({ where: { tenantId: actor.tenantId, id: document.contractId }, select: { clientId: true } }))?.clientId : null);
  if (!clientId) throw badRequest("Ce document n'est rattaché à aucun client", { documentId: ["Choisissez un document d'un client"] });
  if (document.mimeType !== 'application/pdf') throw badRequest('Seul un PDF peut être envoyé par courrier', { documentId: ['Ce document n’est pas un PDF'] });
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.documents.storage.get(document.storageKey)) chunks.push(Buffer.from(chunk as Uint8Array));
  try {
    await planLetterPrint(Buffer.concat(chunks), input.duplexPrinting);
  } catch (error) {
    if (error instanceof LetterCheckError) throw badRequest(error.message, { [error.field]: [error.message] });
    throw error;
  }
  const queued = await queueLetter(tx, actor.tenantId, {
    clientId,
    documentId: document.id,
    service: input.service,
    idempotencyKey: `post:${input.requestId}`,
    createdBy: actor.userId,
    purpose: document.contractId ? 'contract' : 'document',
    colorPrinting: input.colorPrinting,
    duplexPrinting: input.duplexPrinting,
  });
  if (queued.created) {
    await auditAs(tx, actor, { action: 'letter.queued', entityType: 'letter', entityId: queued.id, data: { clientId, documentId: document.id, service: input.service } });
  }
  return getLetter(deps, { letterId: queued.id });
}

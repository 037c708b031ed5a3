import type { Readable } from 'node:stream';
import { downloadFileName } from './document-content.ts';
import { DocumentFileMissingError } from './document-storage.ts';
import { loadDocument, type DocumentDeps } from './document-view.ts';
import type { TDocumentIdInput } from './documents.schema.ts';

/**
 * A document's bytes and what to send them with: the type detected at upload, the name with
 * the extension of that type. Only for the document's tenant and a member who may see what it
 * is attached to (NOT_FOUND otherwise). The stream is read after the transaction ends.
 */
export async function downloadDocument(deps: DocumentDeps, input: TDocumentIdInput): Promise<{
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  body: Readable;
}> {
  const document = await loadDocument(deps, input.documentId);
  const body = await deps.documents.storage.get(document.storageKey).catch((error: unknown) => {
    // The row without its bytes is a fault of ours (a lost volume, a wrong bucket), not the user's.
    throw error instanceof DocumentFileMissingError ? new Error(`document ${document.id}: ${error.message}`) : error;
  });
  return {
    fileName: downloadFileName(document.fileName, document.mimeType),
    mimeType: document.mimeType,
    sizeBytes: document.sizeBytes,
    sha256: document.sha256,
    body,
  };
}

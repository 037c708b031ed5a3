import { createHash } from 'node:crypto';
import type { InvoiceDocument } from './invoice-document.ts';

/** One file kept for ten years with an issued invoice or credit note. */
export interface InvoiceArtefact {
  kind: 'json' | 'pdf' | 'xml';
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  sha256: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The files an issued document is kept as. Same snapshot, same bytes: nothing here reads a
 * clock or the database. The JSON snapshot is the source the others are rendered from.
 */
export async function invoiceArtefacts(doc: InvoiceDocument): Promise<InvoiceArtefact[]> {
  const json = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
  return [{ kind: 'json', fileName: `${doc.number}.json`, mimeType: 'application/json', bytes: json, sha256: sha256(json) }];
}

import { createHash } from 'node:crypto';
import { buildInvoiceCii } from './invoice-cii.ts';
import type { InvoiceDocument } from './invoice-document.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';

/** One file kept for ten years with an issued invoice or credit note. */
export interface InvoiceArtefact {
  kind: 'json' | 'pdf' | 'xml';
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  sha256: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const artefact = (kind: InvoiceArtefact['kind'], fileName: string, mimeType: string, bytes: Uint8Array): InvoiceArtefact => ({
  kind,
  fileName,
  mimeType,
  bytes,
  sha256: sha256(bytes),
});

/**
 * The files an issued document is kept as. Same snapshot, same bytes: nothing here reads a
 * clock or the database. The JSON snapshot is the source the others are rendered from. A
 * business buyer's document is a Factur-X EN 16931 (PDF/A-3 with `factur-x.xml` attached) and
 * its CII is kept apart too (what the approved platform receives); a consumer's is a PDF/A-3
 * without XML (B2C sales go to e-reporting, not e-invoicing).
 */
export async function invoiceArtefacts(doc: InvoiceDocument): Promise<InvoiceArtefact[]> {
  const json = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
  const artefacts = [artefact('json', `${doc.number}.json`, 'application/json', json)];
  if (doc.buyerKind === 'business') {
    const xml = buildInvoiceCii(doc);
    artefacts.push(artefact('pdf', `${doc.number}.pdf`, 'application/pdf', await renderInvoicePdf(doc, { ciiXml: xml })));
    artefacts.push(artefact('xml', `${doc.number}-factur-x.xml`, 'application/xml', new TextEncoder().encode(xml)));
  } else {
    artefacts.push(artefact('pdf', `${doc.number}.pdf`, 'application/pdf', await renderInvoicePdf(doc)));
  }
  return artefacts;
}

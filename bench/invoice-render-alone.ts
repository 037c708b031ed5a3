import { invoiceArtefacts, type InvoiceArtefact } from '../packages/domain/src/invoices/invoice-artefacts.ts';
import type { InvoiceDocument } from '../packages/domain/src/invoices/invoice-document.ts';
import { SAMPLE_DOCUMENTS } from '../packages/domain/test/invoice-document-fixtures.ts';

// Rendering alone: the PDF, the CII and the JSON snapshot of issued invoices, with no database,
// numbering or storage. The baseline the issuing bench divides by (same documents, same run).

/** The i-th sample: the four fixtures in turn, each with its own number (so no two are alike). */
export function sampleDocument(i: number): InvoiceDocument {
  const samples = Object.values(SAMPLE_DOCUMENTS);
  const doc = samples[i % samples.length]!;
  return { ...doc, number: `${doc.number}-${String(i).padStart(6, '0')}` };
}

/** One invoice's artefacts, as issuing makes them: the reusable unit of both benches. */
export function renderOneInvoice(doc: InvoiceDocument): Promise<InvoiceArtefact[]> {
  return invoiceArtefacts(doc);
}

export interface RenderRun {
  count: number;
  ms: number;
  bytes: number;
  pdfs: number;
  xmls: number;
}

/** Renders `count` documents one after the other (issuing is sequential per transaction). */
export async function renderAlone(count: number, documentAt: (i: number) => InvoiceDocument = sampleDocument): Promise<RenderRun> {
  const run: RenderRun = { count, ms: 0, bytes: 0, pdfs: 0, xmls: 0 };
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    for (const artefact of await renderOneInvoice(documentAt(i))) {
      run.bytes += artefact.bytes.length;
      if (artefact.kind === 'pdf') run.pdfs++;
      if (artefact.kind === 'xml') run.xmls++;
    }
  }
  run.ms = performance.now() - started;
  return run;
}

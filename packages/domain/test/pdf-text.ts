import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFPage } from 'pdf-lib';

// The text a PDF of ours shows, page by page, one line per drawText: enough to check what a
// contract or mandate says (pdf-lib writes standard-font text as hex WinAnsi strings).

const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x9c: 'œ', 0x8c: 'Œ' };

function streamsOf(page: PDFPage): PDFRawStream[] {
  const contents = page.node.Contents();
  if (contents instanceof PDFArray) return contents.asArray().map((ref) => page.doc.context.lookup(ref)).filter((s): s is PDFRawStream => s instanceof PDFRawStream);
  return contents instanceof PDFRawStream ? [contents] : [];
}

function textOf(stream: PDFRawStream): string[] {
  const content = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
  return [...content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((match) =>
    [...Buffer.from(match[1]!, 'hex')].map((byte) => WIN_ANSI[byte] ?? String.fromCharCode(byte)).join(''),
  );
}

/** Each page's lines of text. */
export async function pdfPages(bytes: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => streamsOf(page).flatMap(textOf));
}

/** The whole text, lines joined by spaces (a wrapped paragraph reads as one). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPages(bytes)).flat().join(' ');
}

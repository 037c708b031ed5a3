import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject, type PDFPage } from 'pdf-lib';

// The text of a PDF drawn with embedded (Type0, Identity-H) fonts, page by page, one string per
// text-showing operator: glyph codes are mapped back to Unicode through each font's ToUnicode CMap,
// as a reader's copy-paste or a screen reader does. So a test reads what a person reads.

function decodeStream(object: PDFObject | undefined): string {
  if (!(object instanceof PDFRawStream)) return '';
  return Buffer.from(decodePDFRawStream(object).decode()).toString('latin1');
}

const utf16 = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le');

/** bfchar and bfrange entries of a ToUnicode CMap. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(entry[1]!, 16), utf16(entry[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const low = parseInt(entry[1]!, 16);
      const high = parseInt(entry[2]!, 16);
      const target = entry[3]!;
      if (target.startsWith('[')) {
        [...target.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach((item, i) => map.set(low + i, utf16(item[1]!)));
      } else {
        const start = parseInt(target.slice(1, -1), 16);
        for (let code = low; code <= high; code++) map.set(code, String.fromCharCode(start + code - low));
      }
    }
  }
  return map;
}

function fontMaps(doc: PDFDocument, page: PDFPage): Map<string, Map<number, string>> {
  const maps = new Map<string, Map<number, string>>();
  const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = doc.context.lookup(ref, PDFDict);
    const toUnicode = font.get(PDFName.of('ToUnicode'));
    maps.set(name.asString(), parseToUnicode(decodeStream(toUnicode instanceof PDFRef ? doc.context.lookup(toUnicode) : toUnicode)));
  }
  return maps;
}

function contentOf(doc: PDFDocument, page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
  return streams.map((stream) => decodeStream(stream)).join('\n');
}

/** Each page's strings, in drawing order. */
export async function pdfUnicodePages(bytes: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const maps = fontMaps(doc, page);
    let current = new Map<number, string>();
    const out: string[] = [];
    for (const match of contentOf(doc, page).matchAll(/(\/\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (match[1]) {
        current = maps.get(match[1]) ?? new Map();
      } else {
        const hex = match[2]!;
        let text = '';
        for (let i = 0; i < hex.length; i += 4) text += current.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
        out.push(text);
      }
    }
    return out;
  });
}

/** The whole text, strings joined by spaces, no-break spaces as plain spaces. */
export async function pdfUnicodeText(bytes: Uint8Array): Promise<string> {
  return (await pdfUnicodePages(bytes)).flat().join(' ').replace(/[\u00a0\u202f]/g, ' ');
}

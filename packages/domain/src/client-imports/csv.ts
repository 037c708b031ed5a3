import { badRequest, FileTooLargeError } from '../shared/errors.ts';

/** The largest file an import accepts (the API refuses bigger bodies with 413 before this). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export const IMPORT_ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];
export const IMPORT_DELIMITERS = [';', ','] as const;
export type ImportDelimiter = (typeof IMPORT_DELIMITERS)[number];

const fileError = (message: string) => badRequest(message, { file: [message] });

/**
 * Refuses what is not a text file before trying to read it as CSV: spreadsheets saved in their
 * own format, UTF-16 exports, and binary data (NUL or many control bytes).
 */
function assertText(bytes: Uint8Array): void {
  if (bytes.length === 0) throw fileError('Fichier vide');
  if (bytes.length > MAX_IMPORT_BYTES) throw new FileTooLargeError(MAX_IMPORT_BYTES);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw fileError('Fichier Excel ou archive (.xlsx, .zip) : enregistrez-le au format CSV');
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw fileError('Encodage UTF-16 non pris en charge : enregistrez le fichier en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »');
  }
  let control = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0) throw fileError("Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  }
  if (control > bytes.length / 1000 + 8) throw fileError("Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
}

// 0x80-0x9F in Windows-1252 (the rest is Latin-1); undefined bytes stay C1 controls, as in WHATWG.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Our own table: Node 20's TextDecoder('windows-1252') decodes as Latin-1 (0x80 is not €). */
function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8_192) {
    const chunk = bytes.subarray(start, start + 8_192);
    text += String.fromCharCode(...Uint16Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return text;
}

/**
 * Text from bytes: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else
 * Windows-1252, which is what French Excel writes for "CSV (séparateur : point-virgule)".
 */
export function decodeCsv(bytes: Uint8Array, encoding?: ImportEncoding): { encoding: ImportEncoding; text: string } {
  assertText(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  if (encoding !== 'windows-1252') {
    try {
      return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
    } catch {
      if (encoding === 'utf-8' || bom) throw fileError('Encodage invalide : le fichier annonce UTF-8 mais contient des octets invalides');
    }
  }
  const text = decodeWindows1252(body);
  // Bytes that Windows-1252 leaves undefined decode to C1 controls: not a text file after all.
  const undefinedBytes = text.match(/[\u0080-\u009f]/g)?.length ?? 0;
  if (undefinedBytes > text.length / 1000 + 8) throw fileError('Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 »');
  return { encoding: 'windows-1252', text };
}

/** `;` or `,`: the one that splits the header line into more columns (outside quotes); `;` on a tie. */
export function detectDelimiter(text: string): ImportDelimiter {
  const counts = { ';': 0, ',': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (char === ';' || char === ',')) counts[char]++;
  }
  return counts[','] > counts[';'] ? ',' : ';';
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** One record of the file, with its row number as a spreadsheet shows it (the header is row 1). */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/**
 * RFC 4180 records: quoted cells may hold the delimiter, doubled quotes and line breaks; CRLF,
 * LF or CR end a record. Blank lines are dropped but still counted, so row numbers match the
 * spreadsheet's (a cell with line breaks stays in one row there too).
 */
export function parseCsv(text: string, delimiter: ImportDelimiter): CsvRecord[] {
  // Cells are sliced out of the text, not built a character at a time: a 10 MB file is
  // hundreds of thousands of cells.
  const DELIMITER = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let row = 1;
  const endRecord = () => {
    if (cells.length > 1 || cells[0] !== '') records.push({ row, cells });
    cells = [];
  };
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted part: up to the closing quote, a doubled quote being one quote.
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) throw fileError(`Guillemet ouvert et jamais fermé (ligne ${row})`);
        cell += text.slice(from, close);
        if (text.charCodeAt(close + 1) !== QUOTE) {
          i = close + 1;
          break;
        }
        cell += '"';
        from = close + 2;
      }
    }
    // The cell (or what follows its quoted part) up to the delimiter or a line break.
    let end = i;
    for (let c = text.charCodeAt(end); end < text.length && c !== DELIMITER && c !== LF && c !== CR; c = text.charCodeAt(++end));
    cells.push(cell + text.slice(i, end));
    i = end;
    if (i >= text.length) break;
    if (text.charCodeAt(i) === DELIMITER) {
      i++;
      if (i === text.length) cells.push('');
      continue;
    }
    i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    endRecord();
    row++;
  }
  if (cells.length > 0) endRecord();
  return records;
}

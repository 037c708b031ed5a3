import { badRequest, FileTooLargeError } from '../shared/errors.ts';

/** The largest import file by default (`IMPORT_MAX_BYTES` in the API's environment; 413 past it). */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

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
export function decodeWindows1252(bytes: Uint8Array): string {
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

/** A record longer than this is refused: no client row comes near it, and it bounds what a chunk boundary re-reads. */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * RFC 4180 records read incrementally, text chunk after text chunk (the file never needs to be
 * one string): quoted cells may hold the delimiter, doubled quotes and line breaks; CRLF, LF or
 * CR end a record. Blank lines are dropped but still counted, so row numbers match the
 * spreadsheet's (a cell with line breaks stays in one row there too). A record cut by the end
 * of a chunk waits for the next one.
 */
export class CsvParser {
  private readonly delimiter: number;
  private pending = '';
  private row = 1;

  constructor(delimiter: ImportDelimiter) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The records that the text so far completes. */
  push(chunk: string): CsvRecord[] {
    const text = this.pending + chunk;
    const records: CsvRecord[] = [];
    const consumed = this.parse(text, records, false);
    this.pending = text.slice(consumed);
    if (this.pending.length > MAX_RECORD_CHARS) throw fileError(`Ligne trop longue ou guillemet jamais fermé (ligne ${this.row})`);
    return records;
  }

  /** The last records, at the end of the file. */
  end(): CsvRecord[] {
    const records: CsvRecord[] = [];
    this.parse(this.pending, records, true);
    this.pending = '';
    return records;
  }

  /**
   * Parses complete records of `text` into `records` and returns how far it got. Cells are
   * sliced out of the text, not built a character at a time: a file is millions of cells.
   */
  private parse(text: string, records: CsvRecord[], final: boolean): number {
    const DELIMITER = this.delimiter;
    let cells: string[] = [];
    let recordStart = 0;
    let i = 0;
    while (i < text.length) {
      let cell = '';
      if (text.charCodeAt(i) === QUOTE) {
        // A quoted part: up to the closing quote, a doubled quote being one quote.
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1 || (close === text.length - 1 && !final)) {
            if (!final) return recordStart; // the closing quote (or a doubled one) may be in the next chunk
            throw fileError(`Guillemet ouvert et jamais fermé (ligne ${this.row})`);
          }
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
      // The end of the text is the end of a record only at the end of the file; a CR may have its LF in the next chunk.
      if (!final && (end >= text.length - 1)) {
        if (end >= text.length || text.charCodeAt(end) === CR || text.charCodeAt(end) === DELIMITER) return recordStart;
      }
      cells.push(cell + text.slice(i, end));
      i = end;
      if (i >= text.length) break;
      if (text.charCodeAt(i) === DELIMITER) {
        i++;
        if (i === text.length) cells.push('');
        continue;
      }
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      if (i - recordStart > MAX_RECORD_CHARS) throw fileError(`Ligne trop longue (ligne ${this.row})`);
      if (cells.length > 1 || cells[0] !== '') records.push({ row: this.row, cells });
      cells = [];
      this.row++;
      recordStart = i;
    }
    if (final && text.length - recordStart > MAX_RECORD_CHARS) throw fileError(`Ligne trop longue (ligne ${this.row})`);
    if (final && cells.length > 0 && (cells.length > 1 || cells[0] !== '')) records.push({ row: this.row, cells });
    return final ? text.length : recordStart;
  }
}

/** A whole text's records (small files: bank returns, tests). */
export function parseCsv(text: string, delimiter: ImportDelimiter): CsvRecord[] {
  const parser = new CsvParser(delimiter);
  return [...parser.push(text), ...parser.end()];
}

/** Text from a file's successive byte chunks in a known encoding (UTF-8's BOM dropped). */
export function chunkDecoder(encoding: ImportEncoding): { decode(bytes: Uint8Array): string; end(): string } {
  // A file with a BOM is UTF-8 (`decodeCsv`, `ImportFileInspector`): Windows-1252 has none to drop.
  if (encoding === 'windows-1252') return { decode: decodeWindows1252, end: () => '' };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const invalid = () => fileError('Encodage invalide : le fichier annonce UTF-8 mais contient des octets invalides');
  return {
    decode(bytes) {
      try {
        return decoder.decode(bytes, { stream: true });
      } catch {
        throw invalid();
      }
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        throw invalid();
      }
    },
  };
}

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { badRequest, FileTooLargeError } from '../shared/errors.ts';
import { chunkDecoder, CsvParser, decodeWindows1252, detectDelimiter, type CsvRecord, type ImportDelimiter, type ImportEncoding } from '../shared/csv.ts';

const fileError = (message: string) => badRequest(message, { file: [message] });

/** What an upload learns of its file while the bytes go by. */
export interface InspectedImportFile {
  sizeBytes: number;
  sha256: string;
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
  headers: string[];
  /** The first data rows, one cell per header. */
  preview: string[][];
  /** Data rows (blank lines aside). */
  totalRows: number;
}

/** Bytes kept from the start of the file: the header and preview rows are read from them once the encoding is known. */
const HEAD_BYTES = 256 * 1024;
const PREVIEW_ROWS = 5;

/** How many bytes of `bytes` end with a whole UTF-8 sequence (the rest may continue in the next chunk). */
function wholeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * Inspects an uploaded file chunk by chunk, as it streams in, without keeping it: size (the
 * limit refused as soon as it is passed), sha256, the text checks (not a spreadsheet or an
 * archive, not UTF-16, no binary content), the encoding (UTF-8 when every byte is, else
 * Windows-1252, what French Excel writes), the separator, the header, a preview and the rows.
 *
 * Rows are counted on the text decoded as UTF-8 leniently: quotes, separators and line breaks
 * are ASCII and both encodings write them alike, so the count holds whichever encoding wins.
 */
export class ImportFileInspector {
  private size = 0;
  private readonly hash = createHash('sha256');
  private readonly head: Uint8Array[] = [];
  private headSize = 0;
  private control = 0;
  /** Bytes Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d). */
  private undefinedInCp1252 = 0;
  private utf8 = true;
  private utf8Carry: Uint8Array = new Uint8Array(0);
  private readonly lenient = new TextDecoder('utf-8');
  private firstLine = '';
  private parser: CsvParser | null = null;
  private rows = 0;
  private delimiter: ImportDelimiter = ';';

  constructor(private readonly maxBytes: number) {}

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) throw new FileTooLargeError(this.maxBytes);
    this.hash.update(chunk);
    if (this.headSize < HEAD_BYTES) {
      const kept = chunk.subarray(0, HEAD_BYTES - this.headSize);
      this.head.push(Uint8Array.from(kept));
      this.headSize += kept.length;
      if (this.headSize >= 4 || this.headSize === this.size) this.checkStart();
    }
    if (chunk.includes(0)) throw fileError("Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte < 0x20) {
        if (byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) this.control++;
      } else if (byte === 0x81 || byte === 0x8d || byte === 0x8f || byte === 0x90 || byte === 0x9d) this.undefinedInCp1252++;
    }
    if (this.utf8) {
      const bytes = this.utf8Carry.length ? Buffer.concat([this.utf8Carry, chunk]) : chunk;
      const whole = wholeUtf8Length(bytes);
      this.utf8 = isUtf8(bytes.subarray(0, whole));
      this.utf8Carry = Uint8Array.from(bytes.subarray(whole));
    }
    this.countRows(this.lenient.decode(chunk, { stream: true }));
  }

  private checkStart(): void {
    const start = this.head[0]!.length >= 4 ? this.head[0]! : Buffer.concat(this.head);
    if (start[0] === 0x50 && start[1] === 0x4b) throw fileError('Fichier Excel ou archive (.xlsx, .zip) : enregistrez-le au format CSV');
    if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
      throw fileError('Encodage UTF-16 non pris en charge : enregistrez le fichier en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »');
    }
  }

  /** The separator is read on the first line; the rows are parsed from then on. */
  private countRows(text: string): void {
    if (!this.parser) {
      this.firstLine += text;
      const withoutBom = this.firstLine.replace(/^\uFEFF/, '');
      if (!/[\r\n]/.test(withoutBom) && this.firstLine.length < 1_000_000) return;
      this.delimiter = detectDelimiter(withoutBom);
      this.parser = new CsvParser(this.delimiter);
      text = withoutBom;
      this.firstLine = '';
    }
    this.rows += this.parser.push(text).length;
  }

  finish(): InspectedImportFile {
    if (this.size === 0) throw fileError('Fichier vide');
    this.checkStart();
    if (this.control > this.size / 1000 + 8) throw fileError("Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
    const head = Buffer.concat(this.head);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    let encoding: ImportEncoding = 'utf-8';
    if (!this.utf8 || this.utf8Carry.length > 0) {
      if (bom) throw fileError('Encodage invalide : le fichier annonce UTF-8 mais contient des octets invalides');
      encoding = 'windows-1252';
      if (this.undefinedInCp1252 > this.size / 1000 + 8) throw fileError('Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 »');
    }
    this.countRows(this.lenient.decode());
    if (!this.parser) this.countRows('\n');
    this.rows += this.parser!.end().length;

    // The header and preview, read again from the first bytes in the encoding now known.
    const complete = this.size === head.length;
    const text = encoding === 'utf-8' ? new TextDecoder('utf-8').decode(bom ? head.subarray(3, complete ? head.length : wholeUtf8Length(head)) : head.subarray(0, complete ? head.length : wholeUtf8Length(head))) : decodeWindows1252(head);
    const parser = new CsvParser(this.delimiter);
    const first = [...parser.push(text), ...(complete ? parser.end() : [])];
    const [header, ...rows] = first;
    if (!header) throw fileError(complete ? 'Fichier vide' : 'Ligne d’en-tête trop longue');
    const headers = header.cells.map((h) => h.trim());
    if (headers.every((h) => h === '')) throw fileError("Ligne d'en-tête vide");
    return {
      sizeBytes: this.size,
      sha256: this.hash.digest('hex'),
      encoding,
      delimiter: this.delimiter,
      headers,
      preview: rows.slice(0, PREVIEW_ROWS).map((r) => headers.map((_, i) => r.cells[i] ?? '')),
      totalRows: Math.max(0, this.rows - 1),
    };
  }
}

/** A file's inspection from a stream of its bytes. */
export async function inspectImportFile(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<InspectedImportFile> {
  const inspector = new ImportFileInspector(maxBytes);
  for await (const chunk of chunks) inspector.write(chunk);
  return inspector.finish();
}

/**
 * A stored file's records, slice after slice of its bytes (each batch is what one slice
 * completes): decoded in the encoding found at upload, never held whole. The first record is
 * the header.
 */
export async function* readImportRecords(chunks: AsyncIterable<Uint8Array>, encoding: ImportEncoding, delimiter: ImportDelimiter): AsyncGenerator<CsvRecord[]> {
  const decoder = chunkDecoder(encoding);
  const parser = new CsvParser(delimiter);
  for await (const chunk of chunks) {
    const records = parser.push(decoder.decode(chunk));
    if (records.length > 0) yield records;
  }
  const last = [...parser.push(decoder.end()), ...parser.end()];
  if (last.length > 0) yield last;
}

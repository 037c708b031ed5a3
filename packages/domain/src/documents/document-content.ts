import { createHash } from 'node:crypto';
import { badRequest, FileTooLargeError } from '../shared/errors.ts';

/** The types a document may have, detected from its first bytes; the file name's extension is never trusted. */
export const DOCUMENT_MIME_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const;
export type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];

export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** What was received, hashed and measured while it was read. */
export interface DocumentContent {
  bytes: Uint8Array;
  sizeBytes: number;
  sha256: string;
}

/**
 * Reads a document's bytes from a stream (an HTTP request body) or a buffer, computing its
 * sha256 and size as the chunks arrive and stopping as soon as `maxBytes` is passed.
 */
export async function readDocumentContent(source: AsyncIterable<Uint8Array> | Uint8Array, maxBytes: number): Promise<DocumentContent> {
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let sizeBytes = 0;
  for await (const chunk of source instanceof Uint8Array ? [source] : source) {
    sizeBytes += chunk.byteLength;
    if (sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes);
    hash.update(chunk);
    chunks.push(chunk);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return { bytes, sizeBytes, sha256: hash.digest('hex') };
}

const refuse = (message: string) => badRequest(message, { file: [message] });
const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const asciiAt = (bytes: Uint8Array, offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));

const ACCEPTED: { type: DocumentMimeType; matches: (bytes: Uint8Array) => boolean }[] = [
  // A PDF header at the very start; readers accept it further in, which is how PDF polyglots are made.
  { type: 'application/pdf', matches: (b) => startsWith(b, ascii('%PDF-')) },
  { type: 'image/png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: 'image/webp', matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
];

/** Known types that are refused, each with the reason the user reads. */
const REFUSED: { matches: (bytes: Uint8Array) => boolean; message: string }[] = [
  {
    // Windows PE (MZ), ELF, Mach-O (both byte orders, fat binaries), shell scripts.
    matches: (b) =>
      startsWith(b, ascii('MZ')) ||
      startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) ||
      [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((s) => startsWith(b, s)) ||
      startsWith(b, ascii('#!')),
    message: 'Fichier exécutable refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés',
  },
  {
    matches: (b) => startsWith(b, ascii('ftyp'), 4) && ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(asciiAt(b, 8, 4)),
    message: 'Format HEIC non accepté : enregistrez la photo en JPEG ou en PNG',
  },
];

// What browsers sniff as HTML (the WHATWG list, plus SVG and plugins), refused anywhere in the first
// bytes even behind a valid image or PDF header, so no stored file can turn into a page if it is ever
// served inline. XML (<?xml, XMP metadata in photos) is left alone: it is not what makes a page.
const MARKUP = /<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|object|embed)[\s>/]/i;
const STARTS_AS_MARKUP = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*</;
const SNIFFED_BYTES = 1024;

/**
 * The document's type from its content: PDF, PNG, JPEG or WebP, or a BAD_REQUEST with a French
 * message (empty file, executable, HTML or other markup, anything else).
 */
export function detectDocumentType(bytes: Uint8Array): DocumentMimeType {
  if (bytes.length === 0) throw refuse('Fichier vide');
  const refused = REFUSED.find((r) => r.matches(bytes));
  if (refused) throw refuse(refused.message);
  const head = Buffer.from(bytes.subarray(0, SNIFFED_BYTES)).toString('latin1');
  if (STARTS_AS_MARKUP.test(head) || MARKUP.test(head)) throw refuse('Contenu HTML ou script refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés');
  const accepted = ACCEPTED.find((a) => a.matches(bytes));
  if (!accepted) throw refuse('Type de fichier non accepté : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés');
  return accepted.type;
}

const EXTENSIONS: Record<DocumentMimeType, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
};

/** The name a download is offered under: the uploaded name, with the extension of what the file really is. */
export function downloadFileName(fileName: string, mimeType: string): string {
  const extensions = EXTENSIONS[mimeType as DocumentMimeType];
  if (!extensions) return fileName;
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return extension && extensions.includes(extension) ? fileName : `${fileName.replace(/\.[^.]{1,5}$/, '')}.${extensions[0]}`;
}

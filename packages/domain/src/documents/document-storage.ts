import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where documents' bytes live, behind one interface: the local disk by default
 * (`LocalDiskStorage`), an S3-compatible bucket in apps/api. Keys come from
 * `documentStorageKey` only, never from a user's file name.
 */
export interface DocumentStorage {
  /** Stores the bytes under `key`, whole or not at all. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The stored bytes as a stream; rejects with `DocumentFileMissingError` if there are none. */
  get(key: string): Promise<Readable>;
  /** Removes the bytes; a key already gone is not an error. */
  delete(key: string): Promise<void>;
}

/** What the document use cases need beside the tenant transaction. */
export interface DocumentServices {
  storage: DocumentStorage;
  /** Largest accepted file, in bytes (10 MB by default). */
  maxBytes: number;
}

export class DocumentFileMissingError extends Error {
  constructor(key: string) {
    super(`no stored bytes for document key ${key}`);
    this.name = 'DocumentFileMissingError';
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^${UUID}/\\d{4}/\\d{2}/${UUID}$`);

/** `<tenantId>/<yyyy>/<mm>/<documentId>` (UTC month of the upload). */
export function documentStorageKey(tenantId: string, documentId: string, at: Date): string {
  const key = `${tenantId}/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${documentId}`;
  return assertDocumentStorageKey(key);
}

/** Every storage refuses a key of any other shape: no `..`, no absolute path, no user text. */
export function assertDocumentStorageKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid document storage key: ${JSON.stringify(key)}`);
  return key;
}

/**
 * Files under a root directory (DOCUMENTS_DIR; ./data/documents in the repository by default,
 * a temporary directory in tests). A write goes to a temporary file in the same directory,
 * flushed, then renamed over the final name, so a reader never sees half a file.
 */
export class LocalDiskStorage implements DocumentStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** A fresh directory under the OS temporary directory (tests). */
  static temporary(label = 'crm-documents'): LocalDiskStorage {
    return new LocalDiskStorage(path.join(tmpdir(), `${label}-${randomUUID()}`));
  }

  private pathOf(key: string): string {
    const file = path.resolve(this.root, ...assertDocumentStorageKey(key).split('/'));
    // Belt and braces: the key's shape already makes escaping the root impossible.
    if (!file.startsWith(this.root + path.sep)) throw new Error('document path outside the storage root');
    return file;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    const found = await stat(file).catch(() => null);
    if (!found?.isFile()) throw new DocumentFileMissingError(key);
    return createReadStream(file);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

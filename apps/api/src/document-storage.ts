import path from 'node:path';
import { LocalDiskStorage, type DocumentServices } from '@crm/domain';
import type { Env } from './env.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The storage the env asks for, built once at start (the S3 client is loaded only when asked for). */
export async function documentServicesFromEnv(env: Env): Promise<DocumentServices> {
  if (env.DOCUMENTS_STORAGE === 's3') {
    const { s3StorageFromEnv } = await import('./s3-storage.ts');
    return { storage: s3StorageFromEnv(env), maxBytes: env.DOCUMENTS_MAX_BYTES };
  }
  return { storage: new LocalDiskStorage(path.resolve(REPO_ROOT, env.DOCUMENTS_DIR ?? path.join('data', 'documents'))), maxBytes: env.DOCUMENTS_MAX_BYTES };
}

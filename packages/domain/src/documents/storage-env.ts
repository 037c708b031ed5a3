import path from 'node:path';
import { z } from 'zod';
import { LocalDiskStorage, type DocumentStorage } from './document-storage.ts';

/**
 * Where documents' bytes live, as the API and the worker read it from their environment: both
 * must name the same place (the API stores uploads and issued invoices, the worker signed
 * contracts, and it reads mail attachments). The local disk under DOCUMENTS_DIR, or an
 * S3-compatible bucket (AWS, Scaleway, OVHcloud, MinIO...).
 */
export const DOCUMENT_STORAGE_ENV = {
  DOCUMENTS_STORAGE: z.enum(['local', 's3'], 'must be local or s3').default('local'),
  DOCUMENTS_DIR: z.string().min(1).optional(),
  DOCUMENTS_S3_BUCKET: z.string().min(1).optional(),
  DOCUMENTS_S3_ENDPOINT: z.string().url('must be the service URL, e.g. https://s3.fr-par.scw.cloud').optional(),
  DOCUMENTS_S3_REGION: z.string().min(1).default('us-east-1'),
  DOCUMENTS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  DOCUMENTS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  DOCUMENTS_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
};

export type DocumentStorageEnv = z.infer<z.ZodObject<typeof DOCUMENT_STORAGE_ENV>>;

/** The rules across variables, for the app's superRefine: one issue per problem. */
export function checkDocumentStorageEnv(env: DocumentStorageEnv, ctx: z.RefinementCtx): void {
  if (env.DOCUMENTS_STORAGE === 's3' && !env.DOCUMENTS_S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['DOCUMENTS_S3_BUCKET'], message: 'required when DOCUMENTS_STORAGE=s3' });
  }
  if (Boolean(env.DOCUMENTS_S3_ACCESS_KEY_ID) !== Boolean(env.DOCUMENTS_S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({ code: 'custom', path: ['DOCUMENTS_S3_SECRET_ACCESS_KEY'], message: 'DOCUMENTS_S3_ACCESS_KEY_ID and DOCUMENTS_S3_SECRET_ACCESS_KEY go together' });
  }
}

/**
 * The storage the environment names, built once at start. The S3 client is loaded only when
 * asked for; a relative DOCUMENTS_DIR is taken from `root` (the repository), ./data/documents
 * by default.
 */
export async function documentStorageFromEnv(env: DocumentStorageEnv, root: string): Promise<DocumentStorage> {
  if (env.DOCUMENTS_STORAGE === 's3') {
    const { s3StorageFromEnv } = await import('./s3-storage.ts');
    return s3StorageFromEnv(env);
  }
  return new LocalDiskStorage(path.resolve(root, env.DOCUMENTS_DIR ?? path.join('data', 'documents')));
}

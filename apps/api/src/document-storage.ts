import path from 'node:path';
import { documentStorageFromEnv, type DocumentServices } from '@crm/domain';
import type { Env } from './env.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The storage the env asks for (the worker reads the same variables), built once at start. */
export async function documentServicesFromEnv(env: Env): Promise<DocumentServices> {
  return { storage: await documentStorageFromEnv(env, REPO_ROOT), maxBytes: env.DOCUMENTS_MAX_BYTES };
}

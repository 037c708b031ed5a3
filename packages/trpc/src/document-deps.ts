import type { DocumentDeps, DocumentServices, DocumentStorage, TenantDeps } from '@crm/domain';
import type { CrmServices } from './context.ts';

const unconfigured = (): never => {
  throw new Error('document storage is not configured (CrmServices.documents)');
};
const NO_STORAGE: DocumentStorage = { put: unconfigured, get: unconfigured, delete: unconfigured };

/** A tenant procedure's deps plus the process's document storage (fails loudly when there is none). */
export function documentDeps(ctx: { deps: TenantDeps; services: CrmServices }): DocumentDeps {
  const documents: DocumentServices = ctx.services.documents ?? { storage: NO_STORAGE, maxBytes: 0 };
  return { ...ctx.deps, documents };
}

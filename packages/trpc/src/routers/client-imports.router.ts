import {
  dryRunClientImport,
  getClientImport,
  listClientImports,
  startClientImport,
  ZClientImportIdInput,
  ZDryRunClientImportInput,
  ZListClientImportsInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The file itself is uploaded through POST /imports/clients (apps/api), raw bytes rather than JSON.
export const clientImportsRouter = {
  get: tenantProcedure.access('clients.import').input(ZClientImportIdInput).query(({ ctx, input }) => getClientImport(ctx.deps, input)),
  list: tenantProcedure.access('clients.import').input(ZListClientImportsInput).query(({ ctx, input }) => listClientImports(ctx.deps, input)),
  // A 100 MB file is about a million rows to check: more than the default 15 s transaction.
  dryRun: tenantProcedure.access('clients.import', { timeoutMs: 10 * 60_000 }).input(ZDryRunClientImportInput).mutation(({ ctx, input }) => dryRunClientImport(ctx.deps, input)),
  start: tenantProcedure.access('clients.import').input(ZClientImportIdInput).mutation(({ ctx, input }) => startClientImport(ctx.deps, input)),
} satisfies TRPCRouterRecord;

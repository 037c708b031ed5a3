import { deleteDocument, listDocuments, ZDocumentIdInput, ZListDocumentsInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

// Files go up through POST /documents and come down through GET /documents/:id/download (apps/api): raw bytes, not JSON.
export const documentsRouter = {
  list: tenantProcedure.access('documents.read').input(ZListDocumentsInput).query(({ ctx, input }) => listDocuments(ctx.deps, input)),
  delete: tenantProcedure.access('documents.write').input(ZDocumentIdInput).mutation(({ ctx, input }) => deleteDocument(documentDeps(ctx), input)),
} satisfies TRPCRouterRecord;

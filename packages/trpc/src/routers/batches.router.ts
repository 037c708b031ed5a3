import { buildBatch, cancelBatch, getBatch, listBatches, markBatchSent, previewBatch, removeBatchItem, ZBatchDateInput, ZBatchIdInput, ZBatchItemInput, ZListBatchesInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The file itself is downloaded from the raw route GET /batches/:id/file (apps/api).
export const batchesRouter = {
  preview: tenantProcedure.access('payments.read').input(ZBatchDateInput).query(({ ctx, input }) => previewBatch(ctx.deps, input)),
  build: tenantProcedure.access('payments.write').input(ZBatchDateInput).mutation(({ ctx, input }) => buildBatch(ctx.deps, input)),
  list: tenantProcedure.access('payments.read').input(ZListBatchesInput).query(({ ctx, input }) => listBatches(ctx.deps, input)),
  get: tenantProcedure.access('payments.read').input(ZBatchIdInput).query(({ ctx, input }) => getBatch(ctx.deps, input)),
  markSent: tenantProcedure.access('payments.write').input(ZBatchIdInput).mutation(({ ctx, input }) => markBatchSent(ctx.deps, input)),
  removeItem: tenantProcedure.access('payments.write').input(ZBatchItemInput).mutation(({ ctx, input }) => removeBatchItem(ctx.deps, input)),
  cancel: tenantProcedure.access('payments.write').input(ZBatchIdInput).mutation(({ ctx, input }) => cancelBatch(ctx.deps, input)),
} satisfies TRPCRouterRecord;

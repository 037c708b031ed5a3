import { getReject, listRejects, representNow, requestBankDetails, stopRetry, ZListRejectsInput, ZRejectIdInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The rejects queue: collections' work, so the payments permissions.
export const retriesRouter = {
  list: tenantProcedure.access('payments.read').input(ZListRejectsInput).query(({ ctx, input }) => listRejects(ctx.deps, input)),
  get: tenantProcedure.access('payments.read').input(ZRejectIdInput).query(({ ctx, input }) => getReject(ctx.deps, input)),
  representNow: tenantProcedure.access('payments.write').input(ZRejectIdInput).mutation(({ ctx, input }) => representNow(ctx.deps, input)),
  stop: tenantProcedure.access('payments.write').input(ZRejectIdInput).mutation(({ ctx, input }) => stopRetry(ctx.deps, input)),
  requestBankDetails: tenantProcedure.access('payments.write').input(ZRejectIdInput).mutation(({ ctx, input }) => requestBankDetails(ctx.deps, input)),
} satisfies TRPCRouterRecord;

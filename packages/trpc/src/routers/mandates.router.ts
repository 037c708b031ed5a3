import { amendMandate, getMandate, listMandates, revokeMandate, ZAmendMandateInput, ZListMandatesInput, ZMandateIdInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const mandatesRouter = {
  list: tenantProcedure.access('payments.read').input(ZListMandatesInput).query(({ ctx, input }) => listMandates(ctx.deps, input)),
  get: tenantProcedure.access('payments.read').input(ZMandateIdInput).query(({ ctx, input }) => getMandate(ctx.deps, input)),
  amend: tenantProcedure.access('payments.write').input(ZAmendMandateInput).mutation(({ ctx, input }) => amendMandate(ctx.deps, input)),
  revoke: tenantProcedure.access('payments.write').input(ZMandateIdInput).mutation(({ ctx, input }) => revokeMandate(ctx.deps, input)),
} satisfies TRPCRouterRecord;

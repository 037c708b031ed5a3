import {
  createSalesRep,
  getSalesRep,
  listSalesReps,
  setSalesRepTarget,
  updateSalesRep,
  ZCreateSalesRepInput,
  ZListSalesRepsInput,
  ZSalesRepIdInput,
  ZSetSalesRepTargetInput,
  ZUpdateSalesRepInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const salesRepsRouter = {
  list: tenantProcedure.access('salesReps.read').input(ZListSalesRepsInput).query(({ ctx, input }) => listSalesReps(ctx.deps, input)),
  get: tenantProcedure.access('salesReps.read').input(ZSalesRepIdInput).query(({ ctx, input }) => getSalesRep(ctx.deps, input)),
  create: tenantProcedure.access('salesReps.write').input(ZCreateSalesRepInput).mutation(({ ctx, input }) => createSalesRep(ctx.deps, input)),
  update: tenantProcedure.access('salesReps.write').input(ZUpdateSalesRepInput).mutation(({ ctx, input }) => updateSalesRep(ctx.deps, input)),
  setTarget: tenantProcedure.access('salesReps.write').input(ZSetSalesRepTargetInput).mutation(({ ctx, input }) => setSalesRepTarget(ctx.deps, input)),
} satisfies TRPCRouterRecord;

import {
  agreePaymentPlan,
  dunningWorklist,
  getDunningCase,
  getDunningPlans,
  listDunningCases,
  pauseDunningCase,
  resumeDunningCase,
  updateDunningPlan,
  writeOffDunningCase,
  ZAgreePaymentPlanInput,
  ZDunningCaseIdInput,
  ZDunningWorklistInput,
  ZListDunningCasesInput,
  ZPauseDunningCaseInput,
  ZUpdateDunningPlanInput,
  ZWriteOffDunningCaseInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const dunningRouter = {
  list: tenantProcedure.access('dunning.read').input(ZListDunningCasesInput).query(({ ctx, input }) => listDunningCases(ctx.deps, input)),
  get: tenantProcedure.access('dunning.read').input(ZDunningCaseIdInput).query(({ ctx, input }) => getDunningCase(ctx.deps, input)),
  worklist: tenantProcedure.access('dunning.read').input(ZDunningWorklistInput).query(({ ctx, input }) => dunningWorklist(ctx.deps, input)),
  // A dispute pauses the case; resume starts the plan again for what remains.
  pause: tenantProcedure.access('dunning.write').input(ZPauseDunningCaseInput).mutation(({ ctx, input }) => pauseDunningCase(ctx.deps, input)),
  resume: tenantProcedure.access('dunning.write').input(ZDunningCaseIdInput).mutation(({ ctx, input }) => resumeDunningCase(ctx.deps, input)),
  agreePaymentPlan: tenantProcedure.access('dunning.write').input(ZAgreePaymentPlanInput).mutation(({ ctx, input }) => agreePaymentPlan(ctx.deps, input)),
  writeOff: tenantProcedure.access('dunning.write').input(ZWriteOffDunningCaseInput).mutation(({ ctx, input }) => writeOffDunningCase(ctx.deps, input)),
  plans: tenantProcedure.access('dunning.read').query(({ ctx }) => getDunningPlans(ctx.deps)),
  updatePlan: tenantProcedure.access('dunning.plans').input(ZUpdateDunningPlanInput).mutation(({ ctx, input }) => updateDunningPlan(ctx.deps, input)),
} satisfies TRPCRouterRecord;

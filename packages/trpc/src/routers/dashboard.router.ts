import { getDailyDashboard, ZDailyDashboardInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const dashboardRouter = {
  daily: tenantProcedure.access('dashboard.read').input(ZDailyDashboardInput).query(({ ctx, input }) => getDailyDashboard(ctx.deps, input)),
} satisfies TRPCRouterRecord;

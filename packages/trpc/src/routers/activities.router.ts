import {
  completeActivity,
  createActivity,
  deleteActivity,
  listClientActivities,
  listMyTasks,
  reopenActivity,
  updateActivity,
  ZActivityIdInput,
  ZCreateActivityInput,
  ZListClientActivitiesInput,
  ZListMyTasksInput,
  ZUpdateActivityInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const activitiesRouter = {
  listForClient: tenantProcedure.access('activities.read').input(ZListClientActivitiesInput).query(({ ctx, input }) => listClientActivities(ctx.deps, input)),
  myTasks: tenantProcedure.access('activities.read').input(ZListMyTasksInput).query(({ ctx, input }) => listMyTasks(ctx.deps, input)),
  create: tenantProcedure.access('activities.write').input(ZCreateActivityInput).mutation(({ ctx, input }) => createActivity(ctx.deps, input)),
  update: tenantProcedure.access('activities.write').input(ZUpdateActivityInput).mutation(({ ctx, input }) => updateActivity(ctx.deps, input)),
  complete: tenantProcedure.access('activities.write').input(ZActivityIdInput).mutation(({ ctx, input }) => completeActivity(ctx.deps, input)),
  reopen: tenantProcedure.access('activities.write').input(ZActivityIdInput).mutation(({ ctx, input }) => reopenActivity(ctx.deps, input)),
  delete: tenantProcedure.access('activities.write').input(ZActivityIdInput).mutation(({ ctx, input }) => deleteActivity(ctx.deps, input)),
} satisfies TRPCRouterRecord;

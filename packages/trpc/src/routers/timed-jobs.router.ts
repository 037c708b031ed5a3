import { listTimedJobs } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

// The operations page: the tenant's timed jobs, their next run and last outcome.
export const timedJobsRouter = {
  list: tenantProcedure.access('events.read').query(({ ctx }) => listTimedJobs(ctx.deps)),
} satisfies TRPCRouterRecord;

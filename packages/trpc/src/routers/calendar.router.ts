import { getNextCollectionDate, listHolidays, ZHolidaysInput, ZNextCollectionDateInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const calendarRouter = {
  holidays: tenantProcedure.access('calendar.read').input(ZHolidaysInput).query(({ ctx, input }) => listHolidays(ctx.deps, input)),
  nextCollectionDate: tenantProcedure.access('calendar.read').input(ZNextCollectionDateInput).query(({ ctx, input }) => getNextCollectionDate(ctx.deps, input)),
} satisfies TRPCRouterRecord;

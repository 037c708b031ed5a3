import { getOrganisation, updateOrganisation, ZUpdateOrganisationInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const organisationsRouter = {
  get: tenantProcedure.access('organisation.read').query(({ ctx }) => getOrganisation(ctx.deps)),
  update: tenantProcedure.access('organisation.write').input(ZUpdateOrganisationInput).mutation(({ ctx, input }) => updateOrganisation(ctx.deps, input)),
} satisfies TRPCRouterRecord;

import { listCountries, listLegalForms } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const referentielRouter = {
  legalForms: tenantProcedure.access('organisation.read').query(({ ctx }) => listLegalForms(ctx.deps.tx)),
  countries: tenantProcedure.access('organisation.read').query(({ ctx }) => listCountries(ctx.deps.tx)),
} satisfies TRPCRouterRecord;

import { listCivilities, listCountries, listLegalForms, listSepaReturnReasons, listVatRates } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const referentielRouter = {
  legalForms: tenantProcedure.access('organisation.read').query(({ ctx }) => listLegalForms(ctx.deps.tx)),
  countries: tenantProcedure.access('organisation.read').query(({ ctx }) => listCountries(ctx.deps.tx)),
  sepaReturnReasons: tenantProcedure.access('organisation.read').query(({ ctx }) => listSepaReturnReasons(ctx.deps.tx)),
  vatRates: tenantProcedure.access('organisation.read').query(({ ctx }) => listVatRates(ctx.deps.tx)),
  civilities: tenantProcedure.access('organisation.read').query(({ ctx }) => listCivilities(ctx.deps.tx)),
} satisfies TRPCRouterRecord;

import { listMailTemplates, previewMailTemplate, resetMailTemplate, updateMailTemplate, ZMailTemplateKeyInput, ZPreviewMailTemplateInput, ZUpdateMailTemplateInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

/** Paramètres > Modèles de courriels: the wording of the organisation's automated mail, with a preview on a real record. */
export const mailTemplatesRouter = {
  list: tenantProcedure.access('organisation.read').query(({ ctx }) => listMailTemplates(ctx.deps)),
  update: tenantProcedure.access('organisation.write').input(ZUpdateMailTemplateInput).mutation(({ ctx, input }) => updateMailTemplate(ctx.deps, input)),
  reset: tenantProcedure.access('organisation.write').input(ZMailTemplateKeyInput).mutation(({ ctx, input }) => resetMailTemplate(ctx.deps, input)),
  preview: tenantProcedure.access('organisation.write').input(ZPreviewMailTemplateInput).query(({ ctx, input }) => previewMailTemplate(ctx.deps, input)),
} satisfies TRPCRouterRecord;

import { listMailLog, resendMail, ZListMailLogInput, ZMailIdInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

/** The message log: the organisation's mail to its clients, and "Renvoyer" for a failed or uncertain one. */
export const mailsRouter = {
  list: tenantProcedure.access('mails.read').input(ZListMailLogInput).query(({ ctx, input }) => listMailLog(ctx.deps, input)),
  resend: tenantProcedure.access('mails.write').input(ZMailIdInput).mutation(({ ctx, input }) => resendMail(ctx.deps, input)),
} satisfies TRPCRouterRecord;

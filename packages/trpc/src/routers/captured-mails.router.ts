import { listCapturedMail, ZListCapturedMailInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../procedures.ts';

// The development mail catcher ("Courriers envoyés"): public like one, and absent (NOT_FOUND)
// unless the API runs with MAIL_CAPTURE on, so production never shows anyone's links.
export const capturedMailsRouter = {
  enabled: publicProcedure.query(({ ctx }) => ({ enabled: ctx.services.mailCapture === true })),
  list: publicProcedure.input(ZListCapturedMailInput).query(({ ctx, input }) => listCapturedMail({ db: ctx.services.db, mailCapture: ctx.services.mailCapture === true }, input)),
} satisfies TRPCRouterRecord;

import {
  completeMailConnection,
  connectSmtpAccount,
  disconnectMailConnection,
  listMailConnections,
  setMailSender,
  startMailConnection,
  ZCompleteMailConnectionInput,
  ZConnectSmtpAccountInput,
  ZMailConnectionIdInput,
  ZSetMailSenderInput,
  ZStartMailConnectionInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

/** Paramètres > Messagerie: a member's own mail accounts, and the organisation's sender of automated mail. */
export const mailAccountsRouter = {
  list: tenantProcedure.access('mailAccounts.connect').query(({ ctx }) => listMailConnections({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null })),
  startConnection: tenantProcedure.access('mailAccounts.connect').input(ZStartMailConnectionInput).mutation(({ ctx, input }) => startMailConnection({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null }, input)),
  completeConnection: tenantProcedure.access('mailAccounts.connect').input(ZCompleteMailConnectionInput).mutation(({ ctx, input }) => completeMailConnection({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null }, input)),
  connectSmtp: tenantProcedure.access('mailAccounts.connect').input(ZConnectSmtpAccountInput).mutation(({ ctx, input }) => connectSmtpAccount({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null }, input)),
  disconnect: tenantProcedure.access('mailAccounts.connect').input(ZMailConnectionIdInput).mutation(({ ctx, input }) => disconnectMailConnection({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null }, input)),
  setSender: tenantProcedure.access('organisation.write').input(ZSetMailSenderInput).mutation(({ ctx, input }) => setMailSender({ ...ctx.deps, mailAccounts: ctx.services.mailAccounts ?? null }, input)),
} satisfies TRPCRouterRecord;

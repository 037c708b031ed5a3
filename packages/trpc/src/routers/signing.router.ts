import { getSigningPage, signByLink, ZSignByLinkInput, ZSigningTokenInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../procedures.ts';

/**
 * The client's signing page reached by a mailed link: no login, the link is the only credential.
 * Throttled per IP in the domain; any link but a live one answers the same NOT_FOUND.
 */
export const signingRouter = {
  get: publicProcedure.input(ZSigningTokenInput).query(({ ctx, input }) => getSigningPage(ctx.auth, input, ctx.request.client)),
  // Time, IP and user agent come from the request, never from the input.
  sign: publicProcedure.input(ZSignByLinkInput).mutation(({ ctx, input }) => signByLink(ctx.auth, input, ctx.request.client)),
} satisfies TRPCRouterRecord;

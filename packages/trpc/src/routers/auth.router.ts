import {
  getMe,
  logIn,
  logOut,
  refreshSession,
  signUp,
  switchOrganisation,
  verifyEmail,
  ZLogInInput,
  ZSignUpInput,
  ZSwitchOrganisationInput,
  ZVerifyEmailInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure, publicProcedure, sessionProcedure } from '../procedures.ts';

export const authRouter = {
  // Answers the same for every address and opens no session: the mailed link does (verifyEmail).
  signUp: publicProcedure.input(ZSignUpInput).mutation(({ ctx, input }) => signUp(ctx.auth, input, ctx.request.client)),
  verifyEmail: sessionProcedure.input(ZVerifyEmailInput).mutation(({ ctx, input }) => ctx.issue(verifyEmail(ctx.auth, input, ctx.request.client))),
  logIn: sessionProcedure.input(ZLogInInput).mutation(({ ctx, input }) => ctx.issue(logIn(ctx.auth, input, ctx.request.client))),
  refresh: sessionProcedure.mutation(({ ctx }) => ctx.issue(refreshSession(ctx.auth, ctx.request.cookies.refreshToken))),
  logOut: authedProcedure.mutation(({ ctx }) => logOut(ctx.auth, ctx.claims).finally(() => ctx.request.cookies.clearRefreshToken())),
  me: authedProcedure.query(({ ctx }) => getMe(ctx.auth, ctx.claims)),
  switchOrganisation: authedProcedure.input(ZSwitchOrganisationInput).mutation(({ ctx, input }) => switchOrganisation(ctx.auth, ctx.claims, input)),
} satisfies TRPCRouterRecord;

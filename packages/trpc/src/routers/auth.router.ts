import {
  changePassword,
  confirmPassword,
  getMe,
  logIn,
  logOut,
  refreshSession,
  requestPasswordReset,
  resetPassword,
  signUp,
  switchOrganisation,
  verifyEmail,
  ZChangePasswordInput,
  ZConfirmPasswordInput,
  ZLogInInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
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
  refresh: sessionProcedure.mutation(({ ctx }) => ctx.issue(refreshSession(ctx.auth, ctx.request.cookies.refreshToken, ctx.request.client))),
  logOut: authedProcedure.mutation(({ ctx }) => logOut(ctx.auth, ctx.claims).finally(() => ctx.request.cookies.clearRefreshToken())),
  // Same answer for every address; the link goes by mail. Resetting opens no session and revokes all.
  requestPasswordReset: publicProcedure.input(ZRequestPasswordResetInput).mutation(({ ctx, input }) => requestPasswordReset(ctx.auth, input, ctx.request.client)),
  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(({ ctx, input }) => resetPassword(ctx.auth, input)),
  changePassword: authedProcedure.input(ZChangePasswordInput).mutation(({ ctx, input }) => changePassword(ctx.auth, ctx.claims, input)),
  // Proves it is still the signed-in user (the rep taking the tablet back from the hand-over mode).
  confirmPassword: authedProcedure.input(ZConfirmPasswordInput).mutation(({ ctx, input }) => confirmPassword(ctx.auth, ctx.claims, input)),
  me: authedProcedure.query(({ ctx }) => getMe(ctx.auth, ctx.claims)),
  switchOrganisation: authedProcedure.input(ZSwitchOrganisationInput).mutation(({ ctx, input }) => switchOrganisation(ctx.auth, ctx.claims, input)),
} satisfies TRPCRouterRecord;

import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  previewInvitation,
  revokeInvitation,
  ZAcceptInvitationInput,
  ZCreateInvitationInput,
  ZPreviewInvitationInput,
  ZRevokeInvitationInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure, sessionProcedure, tenantProcedure } from '../procedures.ts';

export const invitationsRouter = {
  list: tenantProcedure.access('invitations.read').query(({ ctx }) => listInvitations(ctx.deps)),
  create: tenantProcedure.access('invitations.write').input(ZCreateInvitationInput).mutation(({ ctx, input }) => createInvitation(ctx.deps, ctx.auth.auth, input)),
  revoke: tenantProcedure.access('invitations.write').input(ZRevokeInvitationInput).mutation(({ ctx, input }) => revokeInvitation(ctx.deps, input)),
  // The token is the credential of these two: they are part of accepting an invitation.
  preview: publicProcedure.input(ZPreviewInvitationInput).query(({ ctx, input }) => previewInvitation(ctx.auth, input)),
  accept: sessionProcedure.input(ZAcceptInvitationInput).mutation(({ ctx, input }) => ctx.issue(acceptInvitation(ctx.auth, input, ctx.request.client))),
} satisfies TRPCRouterRecord;

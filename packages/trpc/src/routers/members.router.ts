import { changeMemberRole, listMembers, removeMember, ZChangeMemberRoleInput, ZRemoveMemberInput } from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { tenantProcedure } from '../procedures.ts';

export const membersRouter = {
  list: tenantProcedure.access('members.read').query(({ ctx }) => listMembers(ctx.deps)),
  changeRole: tenantProcedure.access('members.write').input(ZChangeMemberRoleInput).mutation(({ ctx, input }) => changeMemberRole(ctx.deps, input)),
  remove: tenantProcedure.access('members.write').input(ZRemoveMemberInput).mutation(({ ctx, input }) => removeMember(ctx.deps, input)),
} satisfies TRPCRouterRecord;

import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { assertNotLastOwner, loadMemberForChange } from './member-guards.ts';
import type { TRemoveMemberInput } from './members.schema.ts';

/** Removes a member; their next request in this organisation is refused (checked per request). */
export async function removeMember({ tx, actor }: TenantDeps, input: TRemoveMemberInput) {
  const member = await loadMemberForChange(tx, actor, input.memberId);
  if (member.id === actor.memberId) throw conflict('Vous ne pouvez pas vous retirer vous-même');
  await assertNotLastOwner(tx, actor.tenantId, member);
  // Invitations this member sent stay valid: re-attribute them to the remover.
  await tx.invitation.updateMany({
    where: { tenantId: actor.tenantId, invitedByMemberId: member.id },
    data: { invitedByMemberId: actor.memberId },
  });
  await tx.membership.delete({ where: { id: member.id } });
  await emitEvent(tx, { type: 'member.removed', tenantId: actor.tenantId, payload: { memberId: member.id, userId: member.userId } });
  await auditAs(tx, actor, {
    action: 'member.removed',
    entityType: 'membership',
    entityId: member.id,
    data: { userId: member.userId, role: member.role },
  });
  return { id: member.id };
}

import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import { assertCanAssign, assertNotLastOwner, loadMemberForChange } from './member-guards.ts';
import type { TChangeMemberRoleInput } from './members.schema.ts';

export async function changeMemberRole({ tx, actor }: TenantDeps, input: TChangeMemberRoleInput) {
  assertCanAssign(actor, input.role);
  const member = await loadMemberForChange(tx, actor, input.memberId);
  if (member.role === input.role) return { id: member.id, role: member.role };
  if (input.role !== 'owner') await assertNotLastOwner(tx, actor.tenantId, member);
  const updated = await tx.membership.update({ where: { id: member.id }, data: { role: input.role } });
  await emitEvent(tx, {
    type: 'member.role_changed',
    tenantId: actor.tenantId,
    payload: { memberId: member.id, userId: member.userId, from: member.role, to: input.role },
  });
  await auditAs(tx, actor, {
    action: 'member.role_changed',
    entityType: 'membership',
    entityId: member.id,
    data: { from: member.role, to: input.role },
  });
  return { id: updated.id, role: updated.role };
}

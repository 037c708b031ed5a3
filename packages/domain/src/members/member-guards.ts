import type { Role, Tx } from '@crm/db';
import { assignableRoles } from '../access/permissions.ts';
import type { Actor } from '../shared/context.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';

/**
 * Loads a member of the actor's tenant for a change, locking the tenant's owners so two
 * concurrent changes cannot both remove "the other" last owner.
 */
export async function loadMemberForChange(tx: Tx, actor: Actor, memberId: string) {
  await tx.$queryRaw`SELECT id FROM memberships WHERE tenant_id = ${actor.tenantId}::uuid AND role = 'owner' FOR UPDATE`;
  const member = await tx.membership.findFirst({ where: { id: memberId, tenantId: actor.tenantId } });
  if (!member) throw notFound('Membre');
  // An admin manages everyone but owners; only an owner touches an owner.
  if (!assignableRoles(actor.role).includes(member.role)) {
    throw forbidden('Seul un propriétaire peut modifier un propriétaire');
  }
  return member;
}

export async function assertNotLastOwner(tx: Tx, tenantId: string, member: { role: Role }): Promise<void> {
  if (member.role !== 'owner') return;
  const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } });
  if (owners <= 1) throw conflict("L'organisation doit garder au moins un propriétaire");
}

export function assertCanAssign(actor: Actor, role: Role): void {
  if (!assignableRoles(actor.role).includes(role)) throw forbidden('Vous ne pouvez pas attribuer ce rôle');
}

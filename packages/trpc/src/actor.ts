import { withTenant, type Db, type TenantMember, type Tx } from '@crm/db';
import { can, type AccessClaims, type Actor, type Permission } from '@crm/domain';
import { TRPCError } from '@trpc/server';

/**
 * The one membership-and-permission check: who is acting in the token's organisation, or
 * FORBIDDEN. `member` is the caller's membership read in the same transaction (never cached).
 */
export function actorFrom(member: TenantMember | null, claims: AccessClaims, permission: Permission, requestId?: string): Actor {
  const tenantId = claims.tenantId;
  if (!tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
  if (!member) throw new TRPCError({ code: 'FORBIDDEN', message: "Vous n'êtes pas membre de cette organisation" });
  if (!can(member.role, permission)) throw new TRPCError({ code: 'FORBIDDEN', message: 'Action non autorisée pour votre rôle' });
  return { userId: claims.userId, tenantId, memberId: member.id, role: member.role, requestId };
}

/** The same check inside a transaction already scoped to the token's tenant. */
export async function resolveActor(tx: Tx, claims: AccessClaims, permission: Permission, requestId?: string): Promise<Actor> {
  const member = claims.tenantId
    ? await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: claims.tenantId, userId: claims.userId } }, select: { id: true, role: true } })
    : null;
  return actorFrom(member, claims, permission, requestId);
}

/** The same check in a short transaction of its own, for work that spans several (streams, exports). */
export function resolveActorOnce(db: Db, claims: AccessClaims, permission: Permission, requestId?: string): Promise<Actor> {
  if (!claims.tenantId) return Promise.reject(new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' }));
  return withTenant(db, claims.tenantId, (tx) => resolveActor(tx, claims, permission, requestId), { userId: claims.userId });
}

import type { TenantDeps } from '../shared/context.ts';
import { invitationStatus } from './invitation-token.ts';

export async function listInvitations({ tx, actor, now }: TenantDeps) {
  const invitations = await tx.invitation.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: {
      id: true,
      email: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      invitedBy: { select: { user: { select: { name: true } } } },
    },
  });
  return invitations.map((i) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    status: invitationStatus(i, now),
    invitedBy: i.invitedBy.user.name,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  }));
}

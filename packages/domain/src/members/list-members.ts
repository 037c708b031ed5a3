import type { TenantDeps } from '../shared/context.ts';

export async function listMembers({ tx, actor }: TenantDeps) {
  const members = await tx.membership.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  return members.map((m) => ({
    id: m.id,
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    joinedAt: m.createdAt.toISOString(),
    isMe: m.user.id === actor.userId,
  }));
}

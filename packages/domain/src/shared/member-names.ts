import type { Tx } from '@crm/db';

/** Names of the tenant's members among `userIds` (a former member has none). */
export async function memberNames(tx: Tx, tenantId: string, userIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const members = await tx.membership.findMany({
    where: { tenantId, userId: { in: ids } },
    select: { userId: true, user: { select: { name: true } } },
  });
  return new Map(members.map((m) => [m.userId, m.user.name]));
}

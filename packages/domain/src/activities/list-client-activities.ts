import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { defineInstantCursor } from '../shared/keyset-cursor.ts';
import type { TListClientActivitiesInput } from './activities.schema.ts';
import { ACTIVITY_COLUMNS, loadVisibleClient, toActivityViews } from './activity-view.ts';

const cursor = defineInstantCursor('client-activities/1');

/**
 * A client's activities, newest first, by keyset on (occurred_at, id): the index on
 * (tenant_id, client_id, occurred_at) serves every page. The client is read first, so a
 * client this member may not see has no activities to show either (NOT_FOUND).
 */
export async function listClientActivities(deps: TenantDeps, input: TListClientActivitiesInput) {
  const client = await loadVisibleClient(deps, input.clientId);
  const where: Prisma.ActivityWhereInput = { tenantId: deps.actor.tenantId, clientId: client.id };
  if (input.cursor) {
    const [at, id] = cursor.decode(input.cursor);
    where.AND = [{ occurredAt: { lte: at } }, { OR: [{ occurredAt: { lt: at } }, { occurredAt: at, id: { lt: id } }] }];
  }
  const rows = await deps.tx.activity.findMany({
    where,
    select: ACTIVITY_COLUMNS,
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: await toActivityViews(deps, page),
    nextCursor: rows.length > input.limit && last ? cursor.encode(last.occurredAt, last.id) : null,
  };
}

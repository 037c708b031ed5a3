import { parisDay } from '../shared/paris-day.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TListMyTasksInput } from './activities.schema.ts';
import { ACTIVITY_COLUMNS, toActivityViews } from './activity-view.ts';

const RECENTLY_DONE_DAYS = 7;
const RECENTLY_DONE_MAX = 20;

/**
 * The actor's open to-dos: overdue first (due before today in Paris), then due today, then
 * later, then undated. That is simply "due date ascending, undated last", which the index on
 * (tenant_id, owner_user_id, done_at, due_date) returns in order for `done_at IS NULL`.
 * Bounded: `hasMore` says when there are more than `limit` open.
 */
export async function listMyTasks(deps: TenantDeps, input: TListMyTasksInput) {
  const { tx, actor, now } = deps;
  const rows = await tx.activity.findMany({
    where: { tenantId: actor.tenantId, ownerUserId: actor.userId, doneAt: null },
    select: ACTIVITY_COLUMNS,
    orderBy: [{ dueDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: input.limit + 1,
  });
  const done = input.includeRecentlyDone
    ? await tx.activity.findMany({
        where: {
          tenantId: actor.tenantId,
          ownerUserId: actor.userId,
          // To-dos that were closed, not calls or notes recorded as already done.
          OR: [{ kind: 'task' }, { dueDate: { not: null } }],
          doneAt: { gte: new Date(now.getTime() - RECENTLY_DONE_DAYS * 86_400_000) },
        },
        select: ACTIVITY_COLUMNS,
        orderBy: [{ doneAt: 'desc' }, { id: 'desc' }],
        take: RECENTLY_DONE_MAX,
      })
    : [];
  return {
    today: parisDay(now),
    open: await toActivityViews(deps, rows.slice(0, input.limit)),
    hasMore: rows.length > input.limit,
    recentlyDone: await toActivityViews(deps, done),
  };
}

import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import type { TActivityIdInput } from './activities.schema.ts';
import { ACTIVITY_COLUMNS, loadChangeableActivity, toActivityViews } from './activity-view.ts';

/** Marks it done now; done already is left as it was (a second click changes nothing). */
export async function completeActivity(deps: TenantDeps, input: TActivityIdInput) {
  const current = await loadChangeableActivity(deps, input.activityId);
  if (current.doneAt) return (await toActivityViews(deps, [current]))[0]!;
  const row = await deps.tx.activity.update({ where: { id: current.id }, data: { doneAt: deps.now }, select: ACTIVITY_COLUMNS });
  await auditAs(deps.tx, deps.actor, { action: 'activity.completed', entityType: 'activity', entityId: row.id });
  return (await toActivityViews(deps, [row]))[0]!;
}

/** Opens it again (back in its owner's tasks). A note is a record, not a to-do: it stays done. */
export async function reopenActivity(deps: TenantDeps, input: TActivityIdInput) {
  const current = await loadChangeableActivity(deps, input.activityId);
  if (current.kind === 'note') throw conflict('Une note ne se rouvre pas : ce n’est pas une tâche');
  if (!current.doneAt) return (await toActivityViews(deps, [current]))[0]!;
  const row = await deps.tx.activity.update({ where: { id: current.id }, data: { doneAt: null }, select: ACTIVITY_COLUMNS });
  await auditAs(deps.tx, deps.actor, { action: 'activity.reopened', entityType: 'activity', entityId: row.id });
  return (await toActivityViews(deps, [row]))[0]!;
}

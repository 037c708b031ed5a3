import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TActivityIdInput } from './activities.schema.ts';
import { loadChangeableActivity } from './activity-view.ts';

/** Removes an activity entered by mistake; the audit log keeps what it was. */
export async function deleteActivity(deps: TenantDeps, input: TActivityIdInput) {
  const current = await loadChangeableActivity(deps, input.activityId);
  await deps.tx.activity.delete({ where: { id: current.id } });
  await auditAs(deps.tx, deps.actor, {
    action: 'activity.deleted',
    entityType: 'activity',
    entityId: current.id,
    data: { kind: current.kind, subject: current.subject, clientId: current.clientId },
  });
  return { id: current.id };
}

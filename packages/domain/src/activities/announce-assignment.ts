import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { ActivityRow } from './activity-view.ts';

/**
 * Tells the owner of an open to-do that someone else gave it to them (`activity.assigned`,
 * which becomes their notification). One's own tasks, and records already done, say nothing.
 */
export async function announceAssignment({ tx, actor }: TenantDeps, row: ActivityRow): Promise<void> {
  if (row.ownerUserId === actor.userId || row.doneAt) return;
  await emitEvent(tx, {
    type: 'activity.assigned',
    tenantId: actor.tenantId,
    payload: {
      activityId: row.id,
      kind: row.kind,
      subject: row.subject,
      clientId: row.clientId,
      ownerUserId: row.ownerUserId,
      assignedByUserId: actor.userId,
      dueDate: row.dueDate?.toISOString().slice(0, 10) ?? null,
    },
  });
}

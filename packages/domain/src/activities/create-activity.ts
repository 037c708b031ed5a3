import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import type { TCreateActivityInput } from './activities.schema.ts';
import { announceAssignment } from './announce-assignment.ts';
import { ACTIVITY_COLUMNS, assertActivityType, assertOwnerIsMember, assertOwnerSeesClient, loadVisibleClient, toActivityViews } from './activity-view.ts';

/** Done at creation unless it is a to-do: a task, or a call/email/meeting planned for a due date. */
function isDoneAtCreation(input: TCreateActivityInput): boolean {
  if (input.done !== undefined) return input.done;
  if (input.kind === 'note') return true;
  if (input.kind === 'task') return false;
  return !input.dueDate;
}

/**
 * Records a call, email, meeting or note, or plans a task. The client (when given) is read
 * first through the tenant transaction, so another organisation's client, or one this member
 * may not see, answers NOT_FOUND; the owner must be a member of the organisation.
 */
export async function createActivity(deps: TenantDeps, input: TCreateActivityInput) {
  const { tx, actor, now } = deps;
  if (input.kind === 'note' && input.done === false) {
    throw badRequest("Une note n'est pas une tâche", { done: ["Une note n'est pas une tâche : elle ne reste pas ouverte"] });
  }
  if (input.clientId) await loadVisibleClient(deps, input.clientId);
  const ownerUserId = input.ownerUserId ?? actor.userId;
  if (ownerUserId !== actor.userId) await assertOwnerIsMember(deps, ownerUserId);
  if (input.clientId) await assertOwnerSeesClient(deps, ownerUserId, input.clientId);
  if (input.type) await assertActivityType(deps, input.type);
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  const row = await tx.activity.create({
    data: {
      tenantId: actor.tenantId,
      kind: input.kind,
      type: input.type ?? null,
      subject: input.subject,
      body: input.body,
      clientId: input.clientId ?? null,
      ownerUserId,
      dueDate: input.dueDate ? new Date(input.dueDate) : null,
      doneAt: isDoneAtCreation(input) ? occurredAt : null,
      occurredAt,
      createdBy: actor.userId,
    },
    select: ACTIVITY_COLUMNS,
  });
  await announceAssignment(deps, row);
  await auditAs(tx, actor, {
    action: 'activity.created',
    entityType: 'activity',
    entityId: row.id,
    data: { kind: row.kind, clientId: row.clientId, ownerUserId },
  });
  const [view] = await toActivityViews(deps, [row]);
  return view!;
}

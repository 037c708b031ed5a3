import type { Prisma } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TUpdateActivityInput } from './activities.schema.ts';
import { announceAssignment } from './announce-assignment.ts';
import { ACTIVITY_COLUMNS, assertActivityType, assertOwnerIsMember, assertOwnerSeesClient, loadChangeableActivity, loadVisibleClient, toActivityViews } from './activity-view.ts';

/** Changes what is given. Moving it to another client reads that client first (NOT_FOUND if hidden). */
export async function updateActivity(deps: TenantDeps, input: TUpdateActivityInput) {
  const { activityId, ...fields } = input;
  const current = await loadChangeableActivity(deps, activityId);
  if (fields.clientId) await loadVisibleClient(deps, fields.clientId);
  if (fields.ownerUserId && fields.ownerUserId !== current.ownerUserId) await assertOwnerIsMember(deps, fields.ownerUserId);
  const ownerUserId = fields.ownerUserId ?? current.ownerUserId;
  const clientId = fields.clientId === undefined ? current.clientId : fields.clientId;
  if (clientId && (ownerUserId !== current.ownerUserId || clientId !== current.clientId)) await assertOwnerSeesClient(deps, ownerUserId, clientId);
  if (fields.type && fields.type !== current.type) await assertActivityType(deps, fields.type);
  const data: Prisma.ActivityUncheckedUpdateInput = {
    ...(fields.type === undefined ? {} : { type: fields.type }),
    ...(fields.subject === undefined ? {} : { subject: fields.subject }),
    ...(fields.body === undefined ? {} : { body: fields.body }),
    ...(fields.clientId === undefined ? {} : { clientId: fields.clientId }),
    ...(fields.ownerUserId === undefined ? {} : { ownerUserId: fields.ownerUserId }),
    ...(fields.dueDate === undefined ? {} : { dueDate: fields.dueDate === null ? null : new Date(fields.dueDate) }),
    ...(fields.occurredAt === undefined ? {} : { occurredAt: new Date(fields.occurredAt) }),
  };
  const row = await deps.tx.activity.update({ where: { id: current.id }, data, select: ACTIVITY_COLUMNS });
  if (row.ownerUserId !== current.ownerUserId) await announceAssignment(deps, row);
  await auditAs(deps.tx, deps.actor, {
    action: 'activity.updated',
    entityType: 'activity',
    entityId: row.id,
    data: { fields: Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined) },
  });
  const [view] = await toActivityViews(deps, [row]);
  return view!;
}

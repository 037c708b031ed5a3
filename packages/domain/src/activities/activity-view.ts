import { memberNames } from '../shared/member-names.ts';
import { loadClient } from '../shared/load-client.ts';
import { parisDay } from '../shared/paris-day.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import type { ActivityKind } from './activities.schema.ts';

/** The columns every activity read selects (the client's name through the composite key). */
export const ACTIVITY_COLUMNS = {
  id: true,
  kind: true,
  type: true,
  subject: true,
  body: true,
  clientId: true,
  ownerUserId: true,
  dueDate: true,
  doneAt: true,
  occurredAt: true,
  createdBy: true,
  createdAt: true,
  client: { select: { displayName: true } },
} as const;

export interface ActivityRow {
  id: string;
  kind: ActivityKind;
  type: string | null;
  subject: string;
  body: string;
  clientId: string | null;
  ownerUserId: string;
  dueDate: Date | null;
  doneAt: Date | null;
  occurredAt: Date;
  createdBy: string | null;
  createdAt: Date;
  client: { displayName: string } | null;
}

/** Where an open to-do stands against today in Paris; done ones and undated ones apart. */
export type TaskBucket = 'overdue' | 'today' | 'later' | 'undated' | 'done';

export function bucketOf(row: Pick<ActivityRow, 'dueDate' | 'doneAt'>, today: string): TaskBucket {
  if (row.doneAt) return 'done';
  if (!row.dueDate) return 'undated';
  const due = isoDay(row.dueDate);
  return due < today ? 'overdue' : due === today ? 'today' : 'later';
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function toActivityView(row: ActivityRow, names: ReadonlyMap<string, string>, now: Date) {
  return {
    id: row.id,
    kind: row.kind,
    type: row.type,
    subject: row.subject,
    body: row.body,
    clientId: row.clientId,
    clientName: row.client?.displayName ?? null,
    ownerUserId: row.ownerUserId,
    ownerName: names.get(row.ownerUserId) ?? null,
    dueDate: row.dueDate ? isoDay(row.dueDate) : null,
    doneAt: row.doneAt?.toISOString() ?? null,
    occurredAt: row.occurredAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    bucket: bucketOf(row, parisDay(now)),
  };
}
export type ActivityView = ReturnType<typeof toActivityView>;


export async function toActivityViews({ tx, actor, now }: TenantDeps, rows: ActivityRow[]): Promise<ActivityView[]> {
  const names = await memberNames(tx, actor.tenantId, rows.map((r) => r.ownerUserId));
  return rows.map((row) => toActivityView(row, names, now));
}

/**
 * The client an activity concerns, read through the tenant transaction: a client of another
 * organisation, or one the member may not see (row-level policies), is NOT_FOUND the same way.
 */
export async function loadVisibleClient({ tx, actor }: TenantDeps, clientId: string) {
  return loadClient({ tx, actor }, clientId, { id: true, displayName: true });
}

/**
 * An activity the actor is about to change. PostgreSQL shows it only if its client is visible,
 * or, without a client, if it is the actor's own work or in their member scope (the
 * `client_scope` policy on activities): anything else is NOT_FOUND, like another tenant's. Of
 * what they see, a sales member changes only what they own or wrote (a colleague's note on
 * their client stays as its author left it).
 */
export async function loadChangeableActivity(deps: TenantDeps, activityId: string): Promise<ActivityRow> {
  const row = await deps.tx.activity.findFirst({ where: { id: activityId, tenantId: deps.actor.tenantId }, select: ACTIVITY_COLUMNS });
  if (!row) throw notFound('Activité');
  const { actor } = deps;
  if (actor.role === 'sales' && row.ownerUserId !== actor.userId && row.createdBy !== actor.userId) {
    throw forbidden('Vous ne pouvez modifier que vos activités : celles qui vous sont confiées ou que vous avez saisies');
  }
  return row;
}

/**
 * Whoever an activity about a client is given to must see that client: PostgreSQL would hide
 * it from their tasks otherwise. Asked of PostgreSQL (`crm_client_scope_of`), the one place
 * that decides who sees which client.
 */
export async function assertOwnerSeesClient({ tx, actor }: TenantDeps, ownerUserId: string, clientId: string): Promise<void> {
  if (ownerUserId === actor.userId) return; // the actor has just read the client
  const [row] = await tx.$queryRaw<{ sees: boolean }[]>`
    SELECT s.scope IS NULL OR c.sales_rep_id = ANY (s.scope) AS sees
    FROM clients c, (SELECT crm_client_scope_of(${ownerUserId}::uuid) AS scope) s
    WHERE c.tenant_id = ${actor.tenantId}::uuid AND c.id = ${clientId}::uuid`;
  if (!row?.sees) {
    const message = 'Ce membre ne voit pas ce client : confiez la tâche à un membre qui le suit';
    throw badRequest(message, { ownerUserId: [message] });
  }
}

export async function assertOwnerIsMember({ tx, actor }: TenantDeps, ownerUserId: string): Promise<void> {
  const member = await tx.membership.findFirst({ where: { tenantId: actor.tenantId, userId: ownerUserId }, select: { id: true } });
  if (!member) {
    throw badRequest("Ce responsable n'est pas membre de l'organisation", {
      ownerUserId: ["Ce responsable n'est pas membre de l'organisation"],
    });
  }
}

/** The type must be one of the organisation's active activity types (its editable list). */
export async function assertActivityType({ tx, actor }: TenantDeps, label: string): Promise<void> {
  const item = await tx.tenantListItem.findFirst({ where: { tenantId: actor.tenantId, kind: 'activity_type', label, active: true }, select: { id: true } });
  if (!item) throw badRequest("Type d'activité inconnu", { type: ["Type d'activité inconnu : choisissez-en un de la liste"] });
}

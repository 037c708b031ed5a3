import type { Prisma, Tx } from '@crm/db';
import type { Actor } from '../shared/context.ts';

export interface AuditEntry {
  tenantId: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Prisma.InputJsonValue;
  requestId?: string | null;
}

/** Who did what, in the same transaction as the change. Never store secrets in `data`. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      tenantId: entry.tenantId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      data: entry.data ?? {},
      requestId: entry.requestId ?? null,
    },
  });
}

/** The same, for a member acting in their tenant: tenant, actor and request come from `actor`. */
export function auditAs(
  tx: Tx,
  actor: Actor,
  entry: Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'data'>,
): Promise<void> {
  return recordAudit(tx, { ...entry, tenantId: actor.tenantId, actorUserId: actor.userId, requestId: actor.requestId ?? null });
}

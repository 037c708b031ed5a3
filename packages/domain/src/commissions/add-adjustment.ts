import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { insertLine } from './commission-lines.ts';
import type { TAddAdjustmentInput } from './commissions.schema.ts';

/**
 * A manual adjustment on the rep's next statement (an issued one never changes): signed amount,
 * reason and author required (the table refuses a line without them), audited.
 */
export async function addAdjustment({ tx, actor, now }: TenantDeps, input: TAddAdjustmentInput) {
  const rep = await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, id: input.salesRepId }, select: { id: true } });
  if (!rep) throw notFound('Commercial');
  const today = parisDay(now);
  const key = `adjustment:${actor.userId}:${now.toISOString()}:${rep.id}`;
  const id = await insertLine(tx, actor.tenantId, {
    salesRepId: rep.id,
    contractId: null,
    planVersionId: null,
    kind: 'adjustment',
    status: 'earned',
    amountCents: input.amountCents,
    occurredOn: today,
    earnedOn: today,
    sourceKey: key,
    label: 'Ajustement manuel',
    reason: input.reason,
    createdBy: actor.userId,
  });
  await auditAs(tx, actor, { action: 'commission.adjusted', entityType: 'commission_line', entityId: id, data: { salesRepId: rep.id, amountCents: input.amountCents, reason: input.reason } });
  return { id };
}

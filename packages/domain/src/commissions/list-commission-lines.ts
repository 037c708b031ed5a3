import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { asDay, dayDate } from './commission-lines.ts';
import type { TListCommissionLinesInput } from './commissions.schema.ts';

const MAX_LISTED = 1_000;

/**
 * Commission lines, newest first: a rep's, a statement month's, by status. Row-level security
 * keeps a sales member to their own and a manager to their team's, whatever the input asks.
 */
export async function listCommissionLines({ tx, actor }: TenantDeps, input: TListCommissionLinesInput) {
  // A rep of another organisation is NOT_FOUND, like any other id of theirs.
  if (input.salesRepId && !(await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, id: input.salesRepId }, select: { id: true } }))) throw notFound('Commercial');
  const where: Prisma.CommissionLineWhereInput = {
    tenantId: actor.tenantId,
    ...(input.salesRepId ? { salesRepId: input.salesRepId } : {}),
    ...(input.month ? { statementMonth: dayDate(input.month) } : {}),
    ...(input.status ? { status: input.status } : {}),
  };
  const rows = await tx.commissionLine.findMany({
    where,
    orderBy: [{ occurredOn: 'desc' }, { id: 'desc' }],
    take: MAX_LISTED,
    select: {
      id: true,
      kind: true,
      trigger: true,
      status: true,
      amountCents: true,
      baseCents: true,
      rateBasisPoints: true,
      earnAfter: true,
      awaitsFirstDebit: true,
      occurredOn: true,
      earnedOn: true,
      statementMonth: true,
      relatedLineId: true,
      label: true,
      reason: true,
      salesRep: { select: { id: true, code: true, firstName: true, lastName: true } },
      contract: { select: { id: true, number: true } },
    },
  });
  return rows.map((l) => ({
    id: l.id,
    kind: l.kind,
    trigger: l.trigger,
    status: l.status,
    amountCents: l.amountCents,
    baseCents: l.baseCents,
    rateBasisPoints: l.rateBasisPoints,
    earnAfter: l.earnAfter ? asDay(l.earnAfter) : null,
    awaitsFirstDebit: l.awaitsFirstDebit,
    occurredOn: asDay(l.occurredOn),
    earnedOn: l.earnedOn ? asDay(l.earnedOn) : null,
    statementMonth: l.statementMonth ? asDay(l.statementMonth) : null,
    relatedLineId: l.relatedLineId,
    label: l.label,
    reason: l.reason,
    salesRep: { id: l.salesRep.id, code: l.salesRep.code, name: `${l.salesRep.firstName} ${l.salesRep.lastName}` },
    contract: l.contract,
  }));
}

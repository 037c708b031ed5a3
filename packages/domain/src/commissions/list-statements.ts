import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { asDay, dayDate } from './commission-lines.ts';
import type { TListStatementsInput } from './commissions.schema.ts';

const STATEMENT_COLUMNS = {
  id: true,
  number: true,
  month: true,
  commissionStatus: true,
  openingBalanceCents: true,
  linesCents: true,
  clawbacksCents: true,
  adjustmentsCents: true,
  totalCents: true,
  netPayableCents: true,
  carriedForwardCents: true,
  lineCount: true,
  selfBillingNumber: true,
  issuedAt: true,
  documentId: true,
  selfBillingDocumentId: true,
  salesRep: { select: { id: true, code: true, firstName: true, lastName: true } },
} as const;

export const toStatementView = (s: Prisma.CommissionStatementGetPayload<{ select: typeof STATEMENT_COLUMNS }>) => ({
  ...s,
  month: asDay(s.month),
  issuedAt: s.issuedAt.toISOString(),
  salesRep: { id: s.salesRep.id, code: s.salesRep.code, name: `${s.salesRep.firstName} ${s.salesRep.lastName}` },
});

/** Issued statements, newest month first (the member's own, their team's or all: row-level security). */
export async function listStatements({ tx, actor }: TenantDeps, input: TListStatementsInput) {
  // A rep of another organisation is NOT_FOUND, like any other id of theirs.
  if (input.salesRepId && !(await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, id: input.salesRepId }, select: { id: true } }))) throw notFound('Commercial');
  const rows = await tx.commissionStatement.findMany({
    where: { tenantId: actor.tenantId, ...(input.salesRepId ? { salesRepId: input.salesRepId } : {}), ...(input.month ? { month: dayDate(input.month) } : {}) },
    orderBy: [{ month: 'desc' }, { number: 'asc' }],
    take: 1_000,
    select: STATEMENT_COLUMNS,
  });
  return rows.map(toStatementView);
}

export { STATEMENT_COLUMNS };

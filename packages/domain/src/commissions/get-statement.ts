import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { STATEMENT_COLUMNS, toStatementView } from './list-statements.ts';
import type { TStatementIdInput } from './commissions.schema.ts';
import { statementDocument } from './statement-document.ts';
import { selfBillingAmounts } from './statement-pdf.ts';

/** One statement with its lines, as its PDF shows it; another rep's (out of scope) is NOT_FOUND. */
export async function getStatement({ tx, actor }: TenantDeps, input: TStatementIdInput) {
  const row = await tx.commissionStatement.findFirst({ where: { tenantId: actor.tenantId, id: input.statementId }, select: STATEMENT_COLUMNS });
  if (!row) throw notFound('Relevé');
  const doc = await statementDocument(tx, actor.tenantId, row.id);
  return { ...toStatementView(row), lines: doc.lines, selfBilling: doc.selfBillingNumber ? selfBillingAmounts(doc) : null };
}

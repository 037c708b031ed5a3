import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { viewScope } from '../shared/view-scope.ts';
import { dayDate } from './commission-lines.ts';
import { monthEnd, monthOf } from './commission-rules.ts';
import type { TRepCommissionSummaryInput } from './commissions.schema.ts';

/**
 * The rep's page block: the month so far (earned and provisional commission, contracts signed and
 * their yearly value) against the month's target (sales_rep_targets), with its achievement in
 * percent. Only for a rep the member sees the commissions of (their own, their team's, or all).
 */
export async function repCommissionSummary({ tx, actor, now }: TenantDeps, input: TRepCommissionSummaryInput) {
  const scope = await viewScope(tx);
  if (scope.reps !== 'all' && !scope.reps.has(input.salesRepId)) throw notFound('Commercial');
  const rep = await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, id: input.salesRepId }, select: { id: true, commissionStatus: true } });
  if (!rep) throw notFound('Commercial');
  const today = parisDay(now);
  const month = monthOf(today);
  const [sums, contracts, target, balance] = await Promise.all([
    tx.$queryRaw<{ earned: bigint | null; provisional: bigint | null }[]>`
      SELECT sum(amount_cents) FILTER (WHERE status = 'earned' AND statement_month = ${month}::date) AS earned,
             sum(amount_cents) FILTER (WHERE status = 'provisional') AS provisional
      FROM commission_lines WHERE tenant_id = ${actor.tenantId}::uuid AND sales_rep_id = ${rep.id}::uuid`,
    tx.$queryRaw<{ n: bigint; value: bigint | null }[]>`
      SELECT count(*) AS n, sum(value_cents) AS value FROM commission_contracts
      WHERE tenant_id = ${actor.tenantId}::uuid AND sales_rep_id = ${rep.id}::uuid AND signed_on BETWEEN ${month}::date AND ${monthEnd(month)}::date`,
    tx.salesRepTarget.findFirst({ where: { tenantId: actor.tenantId, salesRepId: rep.id, month: dayDate(month) }, select: { revenueCents: true, contractsCount: true } }),
    tx.commissionRepBalance.findFirst({ where: { tenantId: actor.tenantId, salesRepId: rep.id }, select: { carriedCents: true } }),
  ]);
  const signedValueCents = Number(contracts[0]?.value ?? 0n);
  const signedContracts = Number(contracts[0]?.n ?? 0n);
  const percent = (done: number, goal: number | undefined) => (goal && goal > 0 ? Math.round((done * 1000) / goal) / 10 : null);
  return {
    month,
    commissionStatus: rep.commissionStatus,
    earnedCents: Number(sums[0]?.earned ?? 0n),
    provisionalCents: Number(sums[0]?.provisional ?? 0n),
    carriedCents: balance?.carriedCents ?? 0,
    signedContracts,
    signedValueCents,
    target: target ? { revenueCents: target.revenueCents, contractsCount: target.contractsCount } : null,
    achievement: {
      revenuePercent: percent(signedValueCents, target?.revenueCents),
      contractsPercent: percent(signedContracts, target?.contractsCount),
    },
  };
}

import type { Tx } from '@crm/db';
import { asDay, dayDate, parseRules } from './commission-lines.ts';
import type { PlanRules } from './commission-rules.ts';

export interface ResolvedPlan {
  planId: string;
  planVersionId: string;
  rules: PlanRules;
}

const PERIODS_PER_YEAR = { one_off: 1, monthly: 12, quarterly: 4, half_yearly: 2, yearly: 1 } as const;

/**
 * The plan version in force for a rep on `day`: the rep's own assignment, else their team's,
 * else the default plan; of that plan, the latest version effective on or before `day`.
 */
export async function resolvePlan(tx: Tx, tenantId: string, salesRepId: string, day: string): Promise<ResolvedPlan | null> {
  const rep = await tx.salesRep.findUnique({ where: { tenantId_id: { tenantId, id: salesRepId } }, select: { team: true } });
  if (!rep) return null;
  const assignments = await tx.commissionPlanAssignment.findMany({
    where: { tenantId, OR: [{ salesRepId }, ...(rep.team ? [{ team: rep.team }] : [])] },
    select: { planId: true, salesRepId: true },
  });
  const planId =
    assignments.find((a) => a.salesRepId === salesRepId)?.planId ??
    assignments[0]?.planId ??
    (await tx.commissionPlan.findFirst({ where: { tenantId, isDefault: true }, select: { id: true } }))?.id;
  if (!planId) return null;
  const version = await tx.commissionPlanVersion.findFirst({
    where: { tenantId, planId, effectiveFrom: { lte: dayDate(day) } },
    orderBy: { effectiveFrom: 'desc' },
    select: { id: true, rules: true },
  });
  return version ? { planId, planVersionId: version.id, rules: parseRules(version.rules) } : null;
}

export interface CommissionedContract {
  contractId: string;
  salesRepId: string;
  planVersionId: string | null;
  rules: PlanRules | null;
  signedOn: string;
  consumer: boolean;
  valueCents: number;
  firstDebitOn: string | null;
  endedOn: string | null;
}

/**
 * What the signature fixed for a contract's commission, written the first time any of its events
 * is handled (events of one contract may arrive out of order after a retry): the contract's rep
 * and signature day, the plan version in force that day, and its yearly value excl. VAT. Null for
 * a contract not signed, or signed without a rep.
 */
export async function commissionedContract(tx: Tx, tenantId: string, contractId: string): Promise<CommissionedContract | null> {
  let row = await tx.commissionContract.findUnique({ where: { tenantId_contractId: { tenantId, contractId } }, include: { planVersion: { select: { rules: true } } } });
  if (!row) {
    const contract = await tx.contract.findFirst({
      where: { tenantId, id: contractId },
      select: { salesRepId: true, signedOn: true, consumer: true, billingFrequency: true, lines: { select: { quantity: true, unitPriceCents: true } } },
    });
    if (!contract?.salesRepId || !contract.signedOn) return null;
    const signedOn = asDay(contract.signedOn);
    const plan = await resolvePlan(tx, tenantId, contract.salesRepId, signedOn);
    const perPeriod = contract.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    await tx.$executeRaw`
      INSERT INTO commission_contracts (tenant_id, contract_id, sales_rep_id, plan_version_id, signed_on, consumer, value_cents)
      VALUES (${tenantId}::uuid, ${contractId}::uuid, ${contract.salesRepId}::uuid, ${plan?.planVersionId ?? null}::uuid, ${signedOn}::date,
              ${contract.consumer}, ${perPeriod * PERIODS_PER_YEAR[contract.billingFrequency]})
      ON CONFLICT DO NOTHING`;
    row = await tx.commissionContract.findUniqueOrThrow({ where: { tenantId_contractId: { tenantId, contractId } }, include: { planVersion: { select: { rules: true } } } });
  }
  return {
    contractId,
    salesRepId: row.salesRepId,
    planVersionId: row.planVersionId,
    rules: row.planVersion ? parseRules(row.planVersion.rules) : null,
    signedOn: asDay(row.signedOn),
    consumer: row.consumer,
    valueCents: row.valueCents,
    firstDebitOn: row.firstDebitOn ? asDay(row.firstDebitOn) : null,
    endedOn: row.endedOn ? asDay(row.endedOn) : null,
  };
}

import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { assertWithinTeam } from './sales-rep-rules.ts';
import { loadSalesRep } from './sales-rep-view.ts';
import type { TSetSalesRepTargetInput } from './sales-reps.schema.ts';

/** Sets (or replaces) a rep's target for a month. */
export async function setSalesRepTarget(deps: TenantDeps, input: TSetSalesRepTargetInput) {
  const { tx, actor } = deps;
  await loadSalesRep(deps, input.salesRepId);
  await assertWithinTeam(deps, { reps: [input.salesRepId] });
  const month = new Date(`${input.month}-01T00:00:00Z`);
  const values = { revenueCents: input.revenueCents, contractsCount: input.contractsCount };
  const target = await tx.salesRepTarget.upsert({
    where: { tenantId_salesRepId_month: { tenantId: actor.tenantId, salesRepId: input.salesRepId, month } },
    create: { tenantId: actor.tenantId, salesRepId: input.salesRepId, month, ...values },
    update: values,
    select: { revenueCents: true, contractsCount: true },
  });
  await auditAs(tx, actor, { action: 'sales_rep.target_set', entityType: 'sales_rep', entityId: input.salesRepId, data: { month: input.month, ...values } });
  return { month: input.month, ...target };
}

import type { TenantDeps } from '../shared/context.ts';
import { loadSalesRep, SALES_REP_COLUMNS, toSalesRepView } from './sales-rep-view.ts';
import type { TListSalesRepsInput, TSalesRepIdInput } from './sales-reps.schema.ts';

const PARIS_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' });
const monthOf = (now: Date) => new Date(`${PARIS_MONTH.format(now)}-01T00:00:00Z`);
const monthKey = (month: Date) => month.toISOString().slice(0, 7);

/** Clients per rep, among the clients the actor may see. */
async function clientCounts({ tx, actor }: TenantDeps, salesRepIds?: string[]) {
  const groups = await tx.client.groupBy({
    by: ['salesRepId'],
    where: { tenantId: actor.tenantId, status: { not: 'archived' }, salesRepId: salesRepIds ? { in: salesRepIds } : { not: null } },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.salesRepId, g._count._all]));
}

/** The reps, in the order of the hierarchy's display (by name), each with its clients and this month's target. */
export async function listSalesReps(deps: TenantDeps, input: TListSalesRepsInput) {
  const { tx, actor, now } = deps;
  const month = monthOf(now);
  const reps = await tx.salesRep.findMany({
    where: { tenantId: actor.tenantId, ...(input.includeInactive ? {} : { active: true }) },
    select: { ...SALES_REP_COLUMNS, targets: { where: { month }, select: { revenueCents: true, contractsCount: true } } },
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
  });
  const counts = await clientCounts(deps);
  return reps.map(({ targets, ...rep }) => ({
    ...toSalesRepView(rep),
    clientCount: counts.get(rep.id) ?? 0,
    target: targets[0] ? { month: monthKey(month), ...targets[0] } : null,
  }));
}

/** One rep with their manager, direct reports, client count and targets (twelve months back, three ahead). */
export async function getSalesRep(deps: TenantDeps, input: TSalesRepIdInput) {
  const { tx, actor, now } = deps;
  const rep = await loadSalesRep(deps, input.salesRepId);
  const month = monthOf(now);
  const from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 12, 1));
  const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 4, 1));
  const [manager, reports, targets, counts] = await Promise.all([
    rep.managerId ? tx.salesRep.findFirst({ where: { id: rep.managerId, tenantId: actor.tenantId }, select: SALES_REP_COLUMNS }) : null,
    tx.salesRep.findMany({ where: { tenantId: actor.tenantId, managerId: rep.id }, select: SALES_REP_COLUMNS, orderBy: [{ lastName: 'asc' }, { id: 'asc' }] }),
    tx.salesRepTarget.findMany({
      where: { tenantId: actor.tenantId, salesRepId: rep.id, month: { gte: from, lt: to } },
      select: { month: true, revenueCents: true, contractsCount: true },
      orderBy: { month: 'asc' },
    }),
    clientCounts(deps, [rep.id]),
  ]);
  return {
    ...toSalesRepView(rep),
    clientCount: counts.get(rep.id) ?? 0,
    manager: manager ? toSalesRepView(manager) : null,
    reports: reports.map(toSalesRepView),
    targets: targets.map((t) => ({ ...t, month: monthKey(t.month) })),
  };
}

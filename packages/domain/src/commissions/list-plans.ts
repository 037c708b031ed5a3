import type { TenantDeps } from '../shared/context.ts';
import { asDay, parseRules } from './commission-lines.ts';

/** The organisation's plans with their versions (newest first) and who is on each. */
export async function listPlans({ tx, actor }: TenantDeps) {
  const plans = await tx.commissionPlan.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
    include: {
      versions: { orderBy: { effectiveFrom: 'desc' }, select: { id: true, version: true, effectiveFrom: true, rules: true, createdAt: true } },
      assignments: { select: { id: true, team: true, salesRep: { select: { id: true, code: true, firstName: true, lastName: true } } } },
    },
  });
  return plans.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault,
    versions: p.versions.map((v) => ({ id: v.id, version: v.version, effectiveFrom: asDay(v.effectiveFrom), rules: parseRules(v.rules), createdAt: v.createdAt.toISOString() })),
    assignments: p.assignments.map((a) => ({
      id: a.id,
      team: a.team,
      salesRep: a.salesRep ? { id: a.salesRep.id, code: a.salesRep.code, name: `${a.salesRep.firstName} ${a.salesRep.lastName}` } : null,
    })),
  }));
}

import type { Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import { addCaseEntry, dateOf, type CaseClock } from './dunning-cases.ts';

/** A case of the tenant, locked for the change (another tenant's id: NOT_FOUND). */
export async function lockCase(tx: Tx, tenantId: string, caseId: string) {
  await tx.$queryRaw`SELECT id FROM dunning_cases WHERE tenant_id = ${tenantId}::uuid AND id = ${caseId}::uuid FOR UPDATE`;
  const kase = await tx.dunningCase.findFirst({ where: { tenantId, id: caseId } });
  if (!kase) throw notFound('Dossier de relance');
  return kase;
}

export const memberClock = (deps: TenantDeps): CaseClock => ({ today: parisDay(deps.now), now: deps.now, createdBy: deps.actor.userId });

export function assertRecoveryOpen(kase: { status: string; purpose: string }, verb: string) {
  if (kase.purpose !== 'recovery') throw conflict(`Impossible ${verb} un suivi commercial`);
  if (kase.status !== 'open' && kase.status !== 'paused') throw conflict(`Impossible ${verb} un dossier clos`);
}

export async function auditCase(deps: TenantDeps, action: string, caseId: string, data: Record<string, string | number | boolean | null> = {}) {
  await auditAs(deps.tx, deps.actor, { action: `dunning.${action}`, entityType: 'dunning_case', entityId: caseId, data });
}

export { addCaseEntry, badRequest, dateOf };

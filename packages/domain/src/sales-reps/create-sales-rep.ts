import { auditAs } from '../audit/record-audit.ts';
import { fold } from '../shared/text.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict } from '../shared/errors.ts';
import { assertLinkableUser, assertManager, assertWithinTeam } from './sales-rep-rules.ts';
import { SALES_REP_COLUMNS, toSalesRepView } from './sales-rep-view.ts';
import type { TCreateSalesRepInput } from './sales-reps.schema.ts';

/** "Jean Dupont" -> "JDUP", then "JDUP2", "JDUP3"... until free in the tenant. */
async function freeCode({ tx, actor }: TenantDeps, firstName: string, lastName: string): Promise<string> {
  const letters = (s: string) => fold(s).replace(/[^a-z0-9]/g, '').toUpperCase();
  const base = `${letters(firstName).slice(0, 1)}${letters(lastName).slice(0, 3)}`.padEnd(2, 'X');
  const taken = new Set(
    (await tx.salesRep.findMany({ where: { tenantId: actor.tenantId, code: { startsWith: base } }, select: { code: true } })).map((r) => r.code),
  );
  for (let n = 1; ; n += 1) {
    const code = n === 1 ? base : `${base}${n}`;
    if (!taken.has(code)) return code;
  }
}

export async function createSalesRep(deps: TenantDeps, input: TCreateSalesRepInput) {
  const { tx, actor } = deps;
  await assertWithinTeam(deps, { reps: [], managerId: input.managerId ?? null });
  if (input.managerId) await assertManager(deps, input.managerId, null);
  if (input.userId) await assertLinkableUser(deps, input.userId, null);
  const code = input.code ?? (await freeCode(deps, input.firstName, input.lastName));
  if (input.code && (await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, code }, select: { id: true } }))) {
    throw conflict('Code déjà utilisé', { code: ['Code déjà utilisé par un autre commercial'] });
  }
  const rep = await tx.salesRep.create({
    data: { ...input, code, tenantId: actor.tenantId },
    select: SALES_REP_COLUMNS,
  });
  await auditAs(tx, actor, { action: 'sales_rep.created', entityType: 'sales_rep', entityId: rep.id });
  return toSalesRepView(rep);
}

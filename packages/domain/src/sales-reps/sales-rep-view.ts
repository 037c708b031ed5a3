import type { Tx } from '@crm/db';
import { DomainError, notFound } from '../shared/errors.ts';
import type { TenantDeps } from '../shared/context.ts';

export const SALES_REP_COLUMNS = {
  id: true,
  code: true,
  firstName: true,
  lastName: true,
  email: true,
  phone: true,
  team: true,
  managerId: true,
  userId: true,
  active: true,
} as const;

type SalesRepRow = { [K in keyof typeof SALES_REP_COLUMNS]: K extends 'active' ? boolean : string | null } & {
  id: string;
  code: string;
  firstName: string;
  lastName: string;
};

export function toSalesRepView(rep: SalesRepRow) {
  return { ...rep, displayName: `${rep.firstName} ${rep.lastName.toUpperCase()}` };
}
export type SalesRepView = ReturnType<typeof toSalesRepView>;

export async function loadSalesRep({ tx, actor }: TenantDeps, salesRepId: string) {
  const rep = await tx.salesRep.findFirst({ where: { id: salesRepId, tenantId: actor.tenantId }, select: SALES_REP_COLUMNS });
  if (!rep) throw notFound('Commercial');
  return rep;
}

/**
 * The rep a client may be assigned to: one of the tenant's active reps. Another tenant's id or a
 * made-up one answers NOT_FOUND (with the field named, for the form).
 */
export async function assertAssignableSalesRep(tx: Tx, tenantId: string, salesRepId: string, field = 'salesRepId') {
  const rep = await tx.salesRep.findFirst({ where: { id: salesRepId, tenantId }, select: { active: true } });
  if (!rep) throw new DomainError('NOT_FOUND', 'Commercial introuvable', { fieldErrors: { [field]: ['Commercial introuvable'] } });
  if (!rep.active) throw new DomainError('CONFLICT', 'Ce commercial est inactif', { fieldErrors: { [field]: ['Ce commercial est inactif'] } });
}

/**
 * The rep of a client being created: the one asked for, or, for a member with the sales role or
 * a manager linked to a rep (a team), the rep linked to them (what they create is theirs, or
 * their team's; PostgreSQL would refuse a client outside their scope, an unassigned one too).
 */
export async function salesRepForNewClient({ tx, actor }: TenantDeps, requested: string | null | undefined): Promise<string | null> {
  if (requested) {
    await assertAssignableSalesRep(tx, actor.tenantId, requested);
    return requested;
  }
  return defaultSalesRep(tx, actor);
}

/** A scoped member's own rep (sales: required; manager: null when they manage the whole organisation). */
export async function defaultSalesRep(tx: Tx, actor: { tenantId: string; userId: string; role: string }): Promise<string | null> {
  if (actor.role !== 'sales' && actor.role !== 'manager') return null;
  const own = await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, userId: actor.userId }, select: { id: true } });
  if (!own && actor.role === 'sales') throw new DomainError('CONFLICT', "Votre compte n'est lié à aucun commercial : demandez à un administrateur de le faire");
  return own?.id ?? null;
}

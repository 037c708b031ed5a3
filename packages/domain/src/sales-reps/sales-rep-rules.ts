import type { TenantDeps } from '../shared/context.ts';
import { DomainError, conflict, forbidden } from '../shared/errors.ts';
import { viewScope } from '../shared/view-scope.ts';

/**
 * A manager linked to a rep manages their team: they change only its reps, and whatever rep they
 * create or move stays under a rep of that team. The hierarchy decides which clients they see
 * (crm_client_scope), so moving another team's rep under their own would widen their view.
 * `reps` are the reps changed, `managerId` the manager given to them (undefined: unchanged).
 */
export async function assertWithinTeam({ tx }: TenantDeps, change: { reps: string[]; managerId?: string | null | undefined }) {
  const { reps: team } = await viewScope(tx);
  if (team === 'all') return;
  if (change.reps.some((id) => !team.has(id))) throw forbidden('Vous ne gérez que les commerciaux de votre équipe');
  if (change.managerId !== undefined && (change.managerId === null || !team.has(change.managerId))) {
    throw forbidden('Choisissez pour responsable un commercial de votre équipe');
  }
}

/**
 * A rep's manager must be another rep of the tenant, and not one of the rep's own reports at any
 * depth: the hierarchy stays a tree.
 */
export async function assertManager({ tx, actor }: TenantDeps, managerId: string, salesRepId: string | null) {
  const manager = await tx.salesRep.findFirst({ where: { id: managerId, tenantId: actor.tenantId }, select: { id: true } });
  if (!manager) throw new DomainError('NOT_FOUND', 'Responsable introuvable', { fieldErrors: { managerId: ['Responsable introuvable'] } });
  if (!salesRepId) return;
  if (managerId === salesRepId) throw conflict('Un commercial ne peut pas être son propre responsable', { managerId: ['Choisissez un autre responsable'] });
  const [{ cycle }] = await tx.$queryRaw<[{ cycle: boolean }]>`
    WITH RECURSIVE chain(id) AS (
      SELECT ${managerId}::uuid
      UNION
      SELECT r.manager_id FROM sales_reps r JOIN chain ON r.id = chain.id
      WHERE r.tenant_id = ${actor.tenantId}::uuid AND r.manager_id IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE id = ${salesRepId}::uuid) AS cycle`;
  if (cycle) throw conflict('Ce responsable est déjà sous ce commercial', { managerId: ['Ce responsable fait partie de son équipe'] });
}

/** The linked account must be a member of the tenant and not linked to another rep. */
export async function assertLinkableUser({ tx, actor }: TenantDeps, userId: string, salesRepId: string | null) {
  const member = await tx.membership.findFirst({ where: { tenantId: actor.tenantId, userId }, select: { id: true } });
  if (!member) throw new DomainError('NOT_FOUND', 'Membre introuvable', { fieldErrors: { userId: ["Cet utilisateur n'est pas membre de l'organisation"] } });
  const other = await tx.salesRep.findFirst({ where: { tenantId: actor.tenantId, userId, NOT: salesRepId ? { id: salesRepId } : {} }, select: { code: true } });
  if (other) throw conflict('Compte déjà lié', { userId: [`Ce compte est déjà lié au commercial ${other.code}`] });
}

import type { Tx } from '@crm/db';
import { forbidden } from './errors.ts';

/**
 * What the acting member sees beyond their permissions, as PostgreSQL fixed it when the
 * transaction entered the tenant (`crm_enter_tenant`: app.client_scope, app.member_scope). The
 * row-level policies apply it to rows; the domain reads it where a rule is about columns (the
 * details of an appointment) or about a whole organisation (a SEPA batch holds every debtor).
 * Without a user (the worker, system jobs) everything is seen, as in the policies.
 */
export interface ViewScope {
  /** Every client of the organisation: no sales or team scope. */
  allClients: boolean;
  /** The reps whose clients they see (all, or their own and their team's). */
  reps: 'all' | ReadonlySet<string>;
  /** Whose own work (private tasks, appointments' details) they see: everyone's, or these users'. */
  members: 'all' | ReadonlySet<string>;
}

export async function viewScope(tx: Tx): Promise<ViewScope> {
  const [row] = await tx.$queryRaw<{ all_clients: boolean; reps: string; members: string }[]>`
    SELECT crm_sees_all_clients() AS all_clients,
           coalesce(current_setting('app.client_scope', true), '') AS reps,
           CASE WHEN crm_current_user() IS NULL OR crm_is_system() THEN 'all'
                ELSE coalesce(current_setting('app.member_scope', true), '') END AS members`;
  const list = (text: string) => (text === 'all' ? 'all' : new Set(text.split(',').filter(Boolean)));
  const allClients = row?.all_clients ?? false;
  return { allClients, reps: allClients ? 'all' : list(row?.reps ?? ''), members: list(row?.members ?? '') };
}

export const seesMember = (scope: ViewScope, userId: string): boolean => scope.members === 'all' || scope.members.has(userId);

/**
 * For what concerns every client at once (a SEPA batch, its preview, a bank return file): a
 * member with a sales or team scope is refused rather than shown a part presented as the whole.
 */
export async function assertOrganisationWideView(tx: Tx): Promise<void> {
  if (!(await viewScope(tx)).allClients) {
    throw forbidden('Réservé aux membres qui voient tous les clients de l’organisation');
  }
}

/**
 * The transaction's client scope as PostgreSQL keeps it ('all', or the visible reps' ids), to be
 * recorded with work done later on the member's behalf (a client import, run by the worker).
 */
export async function clientScopeSetting(tx: Tx): Promise<string> {
  const [row] = await tx.$queryRaw<{ scope: string }[]>`
    SELECT CASE WHEN crm_sees_all_clients() THEN 'all' ELSE coalesce(current_setting('app.client_scope', true), '') END AS scope`;
  return row?.scope ?? '';
}

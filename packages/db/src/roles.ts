import type { Db } from './client.ts';

/** The role the API and the worker connect as: no superuser, no BYPASSRLS (see migrations). */
export const APP_ROLE = 'crm_app';

/**
 * Refuses to run on a connection that row-level security would not restrain. Called by the
 * API and the worker at start-up, so a misconfigured DATABASE_URL fails loudly instead of
 * silently disabling tenant isolation.
 */
export async function checkAppRole(db: Db): Promise<void> {
  const rows = await db.$queryRaw<{ name: string; superuser: boolean; bypassrls: boolean }[]>`
    select current_user::text as name, rolsuper as superuser, rolbypassrls as bypassrls
    from pg_roles where rolname = current_user`;
  const role = rows[0];
  if (!role) throw new Error('checkAppRole: cannot read the current role');
  if (role.superuser || role.bypassrls) {
    throw new Error(
      `DATABASE_URL connects as "${role.name}", which bypasses row-level security. ` +
        `Connect the API and the worker as "${APP_ROLE}" (created by the migrations); ` +
        `run migrations as the owner with MIGRATE_DATABASE_URL.`,
    );
  }
}

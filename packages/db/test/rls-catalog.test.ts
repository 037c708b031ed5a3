import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { APP_ROLE } from '../src/roles.ts';

// Tables that deliberately carry no tenant: users and their sessions span organisations,
// reference data is global, sign-up requests and system mail belong to a person (an address or
// a user), not to an organisation. Any other table must have tenant_id (or be the tenant table).
const GLOBAL_TABLES = [
  '_prisma_migrations',
  'civilities',
  'countries',
  'legal_forms',
  'login_throttles',
  'password_reset_requests',
  'refresh_token_families',
  'refresh_tokens',
  'sepa_return_reasons',
  'sign_up_requests',
  'system_mails',
  'users',
  'vat_rates',
];

let owner: pg.Client;
let app: pg.Client;
beforeAll(async () => {
  owner = new pg.Client({ connectionString: inject('ownerDatabaseUrl') });
  app = new pg.Client({ connectionString: inject('databaseUrl') });
  await Promise.all([owner.connect(), app.connect()]);
});
afterAll(async () => {
  await Promise.all([owner.end(), app.end()]);
});

describe('the catalog', () => {
  it('has row-level security enabled, forced and with a policy on every tenant table', async () => {
    const { rows } = await owner.query<{ table: string; rls: boolean; forced: boolean; policies: number; tenant: boolean }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS tenant
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY 1`);
    const tenantTables = rows.filter((r) => r.tenant || r.table === 'organisations');
    expect(tenantTables.length).toBeGreaterThanOrEqual(5);
    for (const table of tenantTables) {
      expect({ table: table.table, rls: table.rls, forced: table.forced, hasPolicy: table.policies > 0 }).toEqual({
        table: table.table,
        rls: true,
        forced: true,
        hasPolicy: true,
      });
    }
    // A new table must either be a tenant table or be declared global here, on purpose.
    const unscoped = rows.filter((r) => !r.tenant && r.table !== 'organisations').map((r) => r.table);
    expect(unscoped).toEqual(GLOBAL_TABLES);
  });

  it('indexes tenant tables by tenant_id first', async () => {
    const { rows } = await owner.query<{ index: string; first: string }>(`
      SELECT i.relname AS index, a.attname AS first
      FROM pg_index x
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
      WHERE n.nspname = 'public' AND x.indnatts > 1
        AND EXISTS (SELECT 1 FROM pg_attribute ta WHERE ta.attrelid = t.oid AND ta.attname = 'tenant_id')
        AND NOT x.indisprimary`);
    expect(rows.length).toBeGreaterThan(0);
    // The outbox relay scans unpublished events of every tenant in order, the timed job runner due
    // jobs of every tenant, the effect sender due effects and the letter sender due letters (all withSystem): their indexes must
    // not start with the tenant.
    const crossTenant = ['outbox_events_published_at_occurred_at_idx', 'timed_jobs_state_run_at_idx', 'outgoing_effects_status_next_attempt_at_idx',
      'letters_status_next_attempt_at_idx'];
    expect(rows.filter((r) => r.first !== 'tenant_id' && !crossTenant.includes(r.index))).toEqual([]);
  });

  it('keeps a client scope policy on every table whose rows hang on a client or on a scoped table', async () => {
    // Appointments stay visible as busy time; the domain hides their details (appointment-view.ts).
    const declaredOtherwise = ['appointments'];
    const { rows } = await owner.query<{ table: string; scoped: boolean }>(`
      SELECT DISTINCT c.conrelid::regclass::text AS table,
             EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.conrelid AND p.polname = 'client_scope' AND NOT p.polpermissive
                     AND p.polroles = ARRAY[(SELECT oid FROM pg_roles WHERE rolname = 'crm_app_scoped')]) AS scoped
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.conrelid <> 'clients'::regclass
        AND (c.confrelid = 'clients'::regclass
             -- and what hangs on a scoped table (a batch's exclusions, an import's slices...)
             OR EXISTS (SELECT 1 FROM pg_policy t WHERE t.polrelid = c.confrelid AND t.polname = 'client_scope'))
      ORDER BY 1`);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(rows.filter((r) => !r.scoped).map((r) => r.table)).toEqual(declaredOtherwise);
  });

  it('gives the scoped role exactly the application role’s privileges, and its policies only to it', async () => {
    const grants = (role: string) =>
      owner.query<{ grant: string }>(
        `SELECT table_name || ':' || privilege_type AS grant FROM information_schema.role_table_grants
         WHERE grantee = $1 AND table_schema = 'public' ORDER BY 1`,
        [role],
      );
    const [app, scoped] = await Promise.all([grants(APP_ROLE), grants('crm_app_scoped')]);
    expect(scoped.rows).toEqual(app.rows);
    const { rows } = await owner.query(`
      SELECT rolsuper, rolbypassrls, pg_has_role('${APP_ROLE}', oid, 'MEMBER') AS may_switch, pg_has_role('${APP_ROLE}', oid, 'USAGE') AS inherits
      FROM pg_roles WHERE rolname = 'crm_app_scoped'`);
    // crm_app may switch to it, but does not carry its privileges, hence not its policies either.
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, may_switch: true, inherits: false }]);
  });

  it('lets the application role neither bypass nor switch off row-level security', async () => {
    const { rows } = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
      [APP_ROLE],
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const { rows: me } = await app.query<{ current_user: string }>('SELECT current_user');
    expect(me[0]?.current_user).toBe(APP_ROLE);
    await expect(app.query('ALTER TABLE memberships DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(app.query('ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(app.query('DROP POLICY tenant_isolation ON memberships')).rejects.toThrow(/must be owner/);
    await expect(app.query('SET row_security = off; SELECT count(*) FROM memberships')).rejects.toThrow(/row-level security/);
    await expect(app.query('INSERT INTO countries (code, name_fr) VALUES ($1, $2)', ['QQ', 'Nulle part'])).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query('SELECT * FROM _prisma_migrations')).rejects.toThrow(/permission denied/);
  });
});

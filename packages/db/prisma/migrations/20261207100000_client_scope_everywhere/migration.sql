-- The client scope everywhere a client's data shows (issue #12, section 2).
--
-- Until now only `clients` had the restrictive sales_scope policy; rows that belong to a client
-- through another table (contracts, mandates, schedule items, payments, documents, activities)
-- were read "through the client first" by some use cases and not by others, so a member with a
-- sales or team scope got another rep's mandates and payments, or a 500 when Prisma met a
-- required client hidden by the policy. Here each of those tables gets its own restrictive
-- policy that follows the client's visibility, so PostgreSQL hides the row itself.

-- ---------------------------------------------------------------- helpers

-- Whether the transaction sees every client of the tenant: the worker and system jobs (no
-- user), or a member whose client scope is 'all' (owner, admin, accountant, viewer, a manager
-- linked to no rep). A user without a scope set sees all of nothing (fail closed): the policies
-- below then fall back to the per-row check, which finds no visible client.
CREATE FUNCTION crm_sees_all_clients() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT crm_current_user() IS NULL OR crm_is_system() OR coalesce(current_setting('app.client_scope', true), '') = 'all'
  $$;

-- crm_client_scope() for any member of the current tenant: NULL for "every client", else the
-- ids of the reps whose clients they see ('{}' for none, and for a user who is not a member).
-- The domain asks it before giving a client's task to someone else (they must see the client).
CREATE FUNCTION crm_client_scope_of(member_user uuid) RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  AS $$
  DECLARE
    member_role role;
    own_rep uuid;
  BEGIN
    SELECT m.role INTO member_role FROM memberships m
      WHERE m.tenant_id = crm_current_tenant() AND m.user_id = member_user;
    IF NOT FOUND THEN
      RETURN '{}';
    END IF;
    IF member_role NOT IN ('sales', 'manager') THEN
      RETURN NULL;
    END IF;
    SELECT r.id INTO own_rep FROM sales_reps r
      WHERE r.tenant_id = crm_current_tenant() AND r.user_id = member_user;
    IF member_role = 'sales' THEN
      RETURN CASE WHEN own_rep IS NULL THEN '{}'::uuid[] ELSE ARRAY[own_rep] END;
    END IF;
    IF own_rep IS NULL THEN
      RETURN NULL;
    END IF;
    RETURN ARRAY(
      WITH RECURSIVE team(id) AS (
        SELECT own_rep
        UNION
        SELECT r.id FROM sales_reps r JOIN team ON r.manager_id = team.id
        WHERE r.tenant_id = crm_current_tenant()
      )
      SELECT id FROM team
    );
  END
  $$;

-- The same rule as before for the acting user, now written once.
CREATE OR REPLACE FUNCTION crm_client_scope() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  AS $$
  BEGIN
    IF crm_is_system() OR crm_current_user() IS NULL THEN
      RETURN NULL;
    END IF;
    RETURN crm_client_scope_of(crm_current_user());
  END
  $$;

-- Whose own work (private tasks, the details of appointments without a visible client) a member
-- sees: NULL for everyone's (owner, admin, a manager linked to no rep), a manager linked to a rep
-- the members linked to the reps of their team and themselves, anyone else themselves only.
CREATE FUNCTION crm_member_scope(client_scope uuid[]) RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  AS $$
  DECLARE
    member_role role;
  BEGIN
    IF crm_is_system() OR crm_current_user() IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT m.role INTO member_role FROM memberships m
      WHERE m.tenant_id = crm_current_tenant() AND m.user_id = crm_current_user();
    IF NOT FOUND THEN
      RETURN '{}';
    END IF;
    IF member_role IN ('owner', 'admin') OR (member_role = 'manager' AND client_scope IS NULL) THEN
      RETURN NULL;
    END IF;
    IF member_role = 'manager' THEN
      RETURN array_append(ARRAY(
        SELECT r.user_id FROM sales_reps r
        WHERE r.tenant_id = crm_current_tenant() AND r.id = ANY (client_scope) AND r.user_id IS NOT NULL
      ), crm_current_user());
    END IF;
    RETURN ARRAY[crm_current_user()];
  END
  $$;

-- Like crm_client_visible for clients: compares the transaction's app.member_scope.
CREATE FUNCTION crm_member_visible(member_user uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE
      WHEN crm_current_user() IS NULL OR crm_is_system() THEN true
      WHEN current_setting('app.member_scope', true) = 'all' THEN true
      ELSE coalesce(member_user = ANY (string_to_array(NULLIF(current_setting('app.member_scope', true), ''), ',')::uuid[]), false)
    END
  $$;

-- ---------------------------------------------------------------- the scoped role
-- A policy on a child table that looks up its client costs every reader, and a sub-select in a
-- policy also stops PostgreSQL from scanning in parallel: measured on 300,000 schedule items,
-- an EXISTS on clients made the lists of members who see every client 2-10x slower (its
-- estimate also switched JIT compilation on, seconds per query). So the per-row check applies
-- only to the members who need it: entering the tenant with a sales or team scope switches the
-- transaction to the role crm_app_scoped (SET LOCAL ROLE, undone at its end), and the scope
-- policies below are for that role alone. Members who see every client keep crm_app and the
-- plans they had. crm_app is NOINHERIT, so the policies "TO crm_app_scoped" do not reach it
-- through its membership (which only lets it switch). A scoped transaction also runs without
-- JIT: the planner costs a correlated EXISTS as if it ran once per row, and compiling for that
-- estimate took longer than the query.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_app_scoped') THEN
    CREATE ROLE crm_app_scoped NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END
$$;
-- Before the grant: from PostgreSQL 16 a grant takes its INHERIT option from the member's attribute.
ALTER ROLE crm_app NOINHERIT;
GRANT crm_app_scoped TO crm_app;

-- The same privileges as crm_app, table by table (packages/db/test/rls-catalog.test.ts compares them).
GRANT USAGE ON SCHEMA public TO crm_app_scoped;
DO $$
DECLARE
  g record;
BEGIN
  FOR g IN SELECT table_name, privilege_type FROM information_schema.role_table_grants
           WHERE grantee = 'crm_app' AND table_schema = 'public' LOOP
    EXECUTE format('GRANT %s ON public.%I TO crm_app_scoped', g.privilege_type, g.table_name);
  END LOOP;
END
$$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crm_app_scoped;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crm_app_scoped;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crm_app_scoped;

-- The visible reps as an array ('{}' for 'all' or unset), for the policies' index lookups.
CREATE FUNCTION crm_client_scope_ids() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN coalesce(current_setting('app.client_scope', true), '') IN ('all', '') THEN '{}'::uuid[]
                ELSE string_to_array(current_setting('app.client_scope', true), ',')::uuid[] END
  $$;

-- Entering the tenant now also fixes whose work the member sees (app.member_scope), and moves a
-- member with a scope to crm_app_scoped. A transaction enters once; it never switches back.
CREATE OR REPLACE FUNCTION crm_enter_tenant(tenant uuid, member_user uuid)
  RETURNS TABLE (member_id uuid, member_role text)
  LANGUAGE plpgsql VOLATILE
  AS $$
  DECLARE
    scope uuid[];
    members uuid[];
  BEGIN
    PERFORM set_config('app.tenant_id', tenant::text, true), set_config('app.user_id', member_user::text, true);
    scope := crm_client_scope();
    members := crm_member_scope(scope);
    PERFORM set_config('app.client_scope', CASE WHEN scope IS NULL THEN 'all' ELSE array_to_string(scope, ',') END, true),
            set_config('app.member_scope', CASE WHEN members IS NULL THEN 'all' ELSE array_to_string(members, ',') END, true);
    IF scope IS NOT NULL THEN
      PERFORM set_config('role', 'crm_app_scoped', true), set_config('jit', 'off', true);
    END IF;
    RETURN QUERY SELECT m.id, m.role::text FROM memberships m WHERE m.tenant_id = tenant AND m.user_id = member_user;
  END
  $$;

-- ---------------------------------------------------------------- the policies
-- On every table below, two restrictive policies (ANDed with the tenant policy, never widening it):
--  * scope_role, for everyone: a transaction with a scope must be in crm_app_scoped (fail closed
--    if something ever set a scope without switching: it sees none of these rows). One boolean
--    init plan per statement.
--  * client_scope, for crm_app_scoped: the row's client must be visible. PostgreSQL plans the
--    EXISTS both ways and picks by the rows it expects: a primary-key lookup per row (a contract's
--    schedule, a client's activities: 0.1-0.3 ms where a hashed set of a 10,000-client team cost
--    100 ms), or, for long lists, the visible clients hashed once from the index (tenant_id,
--    sales_rep_id, ...). The reps predicate is there for that index; the rule itself stays the
--    clients' own policy (sales_scope), which applies inside the sub-select too.
DO $$
DECLARE
  tbl text;
  client_visible constant text := 'EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant()) '
    'AND c.id = %1$I.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))';
  contract_visible constant text := 'EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = %1$I.tenant_id AND k.id = %1$I.contract_id)';
  rule text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['contracts', 'contract_lines', 'contract_state_changes', 'sepa_mandates', 'schedule_items',
                             'payments', 'documents', 'activities', 'sepa_batches', 'sepa_batch_files', 'bank_return_files',
                             'client_imports'] LOOP
    EXECUTE format('CREATE POLICY scope_role ON %I AS RESTRICTIVE '
                   'USING ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped'')) '
                   'WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped''))', tbl);
    rule := CASE tbl
      -- Read per contract (its page, the lines of a listed contract): a lookup of the contract.
      WHEN 'contract_lines' THEN format(contract_visible, tbl)
      WHEN 'contract_state_changes' THEN format(contract_visible, tbl)
      -- A document hangs on a client, a contract or both: each one it names must be visible.
      WHEN 'documents' THEN format('(client_id IS NULL OR %s) AND (contract_id IS NULL OR %s)', format(client_visible, tbl), format(contract_visible, tbl))
      -- An activity without a client is someone's own work: the policy private_work below.
      WHEN 'activities' THEN format('client_id IS NULL OR %s', format(client_visible, tbl))
      -- A batch, its file and a bank return file hold every debtor at once: none for a scoped member.
      WHEN 'sepa_batches' THEN 'false'
      WHEN 'sepa_batch_files' THEN 'false'
      WHEN 'bank_return_files' THEN 'false'
      -- An import plans and writes among its importer's clients: a scoped member sees their own.
      WHEN 'client_imports' THEN 'created_by = crm_current_user()'
      ELSE format(client_visible, tbl)
    END;
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE TO crm_app_scoped USING (%s) WITH CHECK (%s)', tbl, rule, rule);
  END LOOP;
END
$$;

-- An activity about no client is its owner's own work: seen by its owner, whoever wrote it, and
-- those whose member scope covers the owner (owner, admin, the owner's team manager), whatever
-- their client scope. No sub-select: a comparison with the transaction's app.member_scope.
CREATE POLICY private_work ON activities AS RESTRICTIVE
  USING (client_id IS NOT NULL OR crm_member_visible(owner_user_id) OR created_by = crm_current_user())
  WITH CHECK (client_id IS NOT NULL OR crm_member_visible(owner_user_id) OR created_by = crm_current_user());

-- ---------------------------------------------------------------- client imports
-- An import is planned (dry run) and written (worker) under the client scope recorded on it.
-- Imports made before this column ran without any scope: 'all' says so.
ALTER TABLE client_imports ADD COLUMN client_scope text NOT NULL DEFAULT 'all';
ALTER TABLE client_imports ALTER COLUMN client_scope DROP DEFAULT;

-- Tenant isolation, enforced by PostgreSQL itself.
--
-- The application connects as crm_app: no superuser, no BYPASSRLS. Every unit of work runs in
-- one transaction that first sets app.tenant_id (and app.user_id) with set_config(..., true),
-- i.e. transaction-local, so nothing survives on a pooled connection. With nothing set, a
-- tenant table shows no rows and accepts no insert.

-- ---------------------------------------------------------------- scope helpers
-- NULLIF: once a transaction that set the variable has ended, the connection reads it back as ''.
CREATE FUNCTION crm_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION crm_current_user() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

-- Set only by withSystem() in packages/db, the loudly named cross-tenant escape.
CREATE FUNCTION crm_is_system() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$;

-- UUIDv7 for rows written by SQL (bulk imports, reports); the client makes the same kind.
CREATE FUNCTION crm_uuid_v7() RETURNS uuid
  LANGUAGE sql VOLATILE
  AS $$
    SELECT encode(
      set_bit(set_bit(
        overlay(uuid_send(gen_random_uuid())
                placing substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                FROM 1 FOR 6),
        52, 1), 53, 1),
      'hex')::uuid
  $$;

-- Every tenant table gets the same treatment; later migrations call this for their tables
-- (and the catalog test fails for any table with a tenant_id column that has not been through it).
CREATE FUNCTION crm_enable_tenant_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
  BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %s USING (tenant_id = crm_current_tenant() OR crm_is_system()) '
      'WITH CHECK (tenant_id = crm_current_tenant() OR crm_is_system())', tbl);
  END
  $$;

-- ---------------------------------------------------------------- the application role
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_app') THEN
    CREATE ROLE crm_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO crm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO crm_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crm_app;
-- Tables and sequences created by later migrations (run by the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crm_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crm_app;

-- Reference data is read-only for the application; migration history is not its business.
REVOKE INSERT, UPDATE, DELETE ON countries, legal_forms FROM crm_app;
DO $$
BEGIN
  IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
    EXECUTE 'REVOKE ALL ON _prisma_migrations FROM crm_app';
  END IF;
END
$$;

-- ---------------------------------------------------------------- policies
SELECT crm_enable_tenant_rls('memberships');
SELECT crm_enable_tenant_rls('invitations');
SELECT crm_enable_tenant_rls('audit_logs');
SELECT crm_enable_tenant_rls('outbox_events');

-- A user sees their own memberships in every organisation (to list and switch), read-only.
CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = crm_current_user());

-- The tenant table itself: its id is the tenant.
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organisations
  USING (id = crm_current_tenant() OR crm_is_system())
  WITH CHECK (id = crm_current_tenant() OR crm_is_system());
CREATE POLICY member_organisations ON organisations FOR SELECT
  USING (id IN (SELECT m.tenant_id FROM memberships m WHERE m.user_id = crm_current_user()));

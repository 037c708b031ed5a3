-- Which clients the acting member may see, enforced by PostgreSQL for every query on clients:
-- a member with the sales role sees the clients assigned to the sales rep linked to them; a
-- manager linked to a rep sees the clients of that rep and of every rep under them, at any
-- depth; everyone else in the organisation sees all of them. NULL means "no restriction".
-- Without a user (the worker, system jobs) there is no restriction; a user who is not a
-- member of the tenant sees nothing (fail closed).
-- PL/pgSQL rather than SQL: its plans are cached per connection, so the check costs a few index
-- lookups per statement (a SQL function with these CTEs is re-planned on every call: ~1 ms).
CREATE FUNCTION crm_client_scope() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  AS $$
  DECLARE
    member_role role;
    own_rep uuid;
  BEGIN
    IF crm_is_system() OR crm_current_user() IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT m.role INTO member_role FROM memberships m
      WHERE m.tenant_id = crm_current_tenant() AND m.user_id = crm_current_user();
    IF NOT FOUND THEN
      RETURN '{}';
    END IF;
    IF member_role NOT IN ('sales', 'manager') THEN
      RETURN NULL;
    END IF;
    SELECT r.id INTO own_rep FROM sales_reps r
      WHERE r.tenant_id = crm_current_tenant() AND r.user_id = crm_current_user();
    IF member_role = 'sales' THEN
      RETURN CASE WHEN own_rep IS NULL THEN '{}'::uuid[] ELSE ARRAY[own_rep] END;
    END IF;
    IF own_rep IS NULL THEN
      RETURN NULL; -- a manager who is not a rep manages the whole organisation
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

-- Restrictive: combined with AND to the tenant policy, never widening it. The sub-selects are
-- evaluated once per statement (init plans), not once per row.
CREATE POLICY sales_scope ON clients AS RESTRICTIVE
  USING ((SELECT crm_client_scope()) IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope())::uuid[]))
  WITH CHECK ((SELECT crm_client_scope()) IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope())::uuid[]));

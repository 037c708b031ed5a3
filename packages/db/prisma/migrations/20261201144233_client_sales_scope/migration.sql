-- Which clients the acting member may see, enforced by PostgreSQL for every query on clients:
-- a member with the sales role sees the clients assigned to the sales rep linked to them; a
-- manager linked to a rep sees the clients of that rep and of every rep under them, at any
-- depth; everyone else in the organisation sees all of them. NULL means "no restriction".
-- Without a user (the worker, system jobs) there is no restriction; a user who is not a
-- member of the tenant sees nothing (fail closed).
CREATE FUNCTION crm_client_scope() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    WITH me AS (
      SELECT m.role FROM memberships m
      WHERE m.tenant_id = crm_current_tenant() AND m.user_id = crm_current_user()
    ), my_rep AS (
      SELECT r.id FROM sales_reps r
      WHERE r.tenant_id = crm_current_tenant() AND r.user_id = crm_current_user()
    )
    SELECT CASE
      WHEN crm_is_system() OR crm_current_user() IS NULL THEN NULL
      WHEN NOT EXISTS (SELECT 1 FROM me) THEN '{}'::uuid[]
      WHEN (SELECT role FROM me) = 'sales' THEN ARRAY(SELECT id FROM my_rep)
      WHEN (SELECT role FROM me) = 'manager' AND EXISTS (SELECT 1 FROM my_rep) THEN ARRAY(
        WITH RECURSIVE team(id) AS (
          SELECT id FROM my_rep
          UNION
          SELECT r.id FROM sales_reps r JOIN team ON r.manager_id = team.id
          WHERE r.tenant_id = crm_current_tenant()
        )
        SELECT id FROM team
      )
      ELSE NULL
    END
  $$;

-- Restrictive: combined with AND to the tenant policy, never widening it. The sub-selects are
-- evaluated once per statement (init plans), not once per row.
CREATE POLICY sales_scope ON clients AS RESTRICTIVE
  USING ((SELECT crm_client_scope()) IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope())::uuid[]))
  WITH CHECK ((SELECT crm_client_scope()) IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope())::uuid[]));

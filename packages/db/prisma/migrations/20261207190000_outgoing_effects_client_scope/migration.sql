-- A tenant mail names the client it was written to (outgoing_effects.client_id, 20261207180000):
-- like every row that hangs on a client, it follows the client's visibility
-- (20261207100000_client_scope_everywhere). A mail about no client (none today) stays visible to
-- whoever sees the tenant's mail; the message log itself is for members who see every client.
CREATE POLICY scope_role ON outgoing_effects AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON outgoing_effects AS RESTRICTIVE TO crm_app_scoped
  USING (client_id IS NULL OR EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = outgoing_effects.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])))
  WITH CHECK (client_id IS NULL OR EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = outgoing_effects.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])));

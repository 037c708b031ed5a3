-- The client scope on the tables that arrived beside it (company contacts, batch exclusions,
-- import slices): the same two restrictive policies as in 20261207100000_client_scope_everywhere.
--  * client_contacts hang on a client: visible when the client is. Its first policy (for every
--    role, 20261207053209) gives way to the scoped role's, like the other tables': members who
--    see every client no longer pay a sub-select per contact.
--  * sepa_batch_exclusions belong to a batch, which holds every debtor: none for a scoped member.
--  * client_import_chunks are the bytes of an import: visible when the import is (its own policy
--    applies inside the sub-select).
DROP POLICY client_scope ON client_contacts;

DO $$
DECLARE
  tbl text;
  rule text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['client_contacts', 'sepa_batch_exclusions', 'client_import_chunks'] LOOP
    EXECUTE format('CREATE POLICY scope_role ON %I AS RESTRICTIVE '
                   'USING ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped'')) '
                   'WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped''))', tbl);
    rule := CASE tbl
      WHEN 'client_contacts' THEN 'EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant()) '
        'AND c.id = client_contacts.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))'
      WHEN 'sepa_batch_exclusions' THEN 'false'
      WHEN 'client_import_chunks' THEN 'EXISTS (SELECT 1 FROM client_imports i WHERE i.tenant_id = client_import_chunks.tenant_id AND i.id = client_import_chunks.import_id)'
    END;
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE TO crm_app_scoped USING (%s) WITH CHECK (%s)', tbl, rule, rule);
  END LOOP;
END
$$;

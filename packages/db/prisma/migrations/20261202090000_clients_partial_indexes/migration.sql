-- Partial indexes where most clients hold NULL. A person has no SIRET and many clients have no
-- sales rep yet: their rows now cost an insert (an import: 100,000 of them) no b-tree write.
-- The SIRET duplicate lookup (`siret = $1`) and the rep filter (`sales_rep_id = $1`) imply
-- the predicates; the "unassigned" filter walks the (tenant, sort name) index as before.
DROP INDEX "clients_tenant_id_siret_idx";
CREATE INDEX "clients_tenant_id_siret_idx" ON "clients" ("tenant_id", "siret") WHERE siret IS NOT NULL;
DROP INDEX "clients_tenant_id_sales_rep_id_sort_name_id_idx";
CREATE INDEX "clients_tenant_id_sales_rep_id_sort_name_id_idx" ON "clients" ("tenant_id", "sales_rep_id", "sort_name", "id") WHERE sales_rep_id IS NOT NULL;

-- No query reads clients by status alone: the list walks the (tenant, sort name) or (tenant,
-- created) index and filters the status as it goes, and the import's duplicate lookup reads the
-- tenant's clients whole. The index only cost every insert and every status change a b-tree
-- write (about 4 % of a 100,000-row import's database time).
DROP INDEX "clients_tenant_id_status_idx";

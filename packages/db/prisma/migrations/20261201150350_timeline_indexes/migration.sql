-- DropIndex
DROP INDEX "audit_logs_tenant_id_entity_type_entity_id_idx";

-- CreateIndex
CREATE INDEX "audit_logs_tenant_id_entity_type_entity_id_created_at_idx" ON "audit_logs"("tenant_id", "entity_type", "entity_id", "created_at");

-- CreateIndex
CREATE INDEX "outbox_events_payload_idx" ON "outbox_events" USING GIN ("payload" jsonb_path_ops);

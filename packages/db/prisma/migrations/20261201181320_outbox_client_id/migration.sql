-- The client an event is about, as a column: the timeline and the GDPR export read a b-tree
-- on (tenant, client, occurred_at, id) instead of a GIN index on every payload, which slowed
-- every outbox insert (100,000 per client import) and which the application role could not
-- even use (under row-level security `@>` is not leakproof, so it is no index condition).
-- No foreign key: events are immutable history and outlive merges and anonymisation.

-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "client_id" UUID;

-- Backfill: every event about a client carries `clientId` at the top of its payload. Only
-- values that are UUIDs are copied (the filter runs before the cast).
UPDATE "outbox_events"
SET "client_id" = ("payload"->>'clientId')::uuid
WHERE jsonb_typeof("payload"->'clientId') = 'string'
  AND ("payload"->>'clientId') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

-- CreateIndex
CREATE INDEX "outbox_events_tenant_id_client_id_occurred_at_id_idx" ON "outbox_events"("tenant_id", "client_id", "occurred_at", "id");

-- DropIndex: replaced by client_id.
DROP INDEX "outbox_events_payload_idx";

-- DropIndex: (tenant_id, id) was unique only because id is; nothing references it.
DROP INDEX "outbox_events_tenant_id_id_key";

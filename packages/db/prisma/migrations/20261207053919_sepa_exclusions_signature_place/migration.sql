-- Where the client signed (printed on the SEPA mandate), and the layout of the contract PDF a
-- signature's sha256 covers: contracts signed before this migration were signed on layout 1, so a
-- later layout (the withdrawal form, layout 2) never makes their signature unverifiable.
ALTER TABLE "contracts" ADD COLUMN "document_layout" INTEGER,
ADD COLUMN "signed_place" TEXT;
UPDATE "contracts" SET "document_layout" = 1 WHERE "signed_document_sha256" IS NOT NULL;

-- The address consumers may write to (the model withdrawal form names it).
ALTER TABLE "organisations" ADD COLUMN "contact_email" TEXT;

-- Planned debits a batch left out, with why (the rest of the batch went on).
CREATE TABLE "sepa_batch_exclusions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "schedule_item_id" UUID NOT NULL,
    "reasons" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sepa_batch_exclusions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sepa_batch_exclusions_tenant_id_id_key" ON "sepa_batch_exclusions"("tenant_id", "id");
CREATE UNIQUE INDEX "sepa_batch_exclusions_tenant_id_batch_id_schedule_item_id_key" ON "sepa_batch_exclusions"("tenant_id", "batch_id", "schedule_item_id");
ALTER TABLE "sepa_batch_exclusions" ADD CONSTRAINT "sepa_batch_exclusions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sepa_batch_exclusions" ADD CONSTRAINT "sepa_batch_exclusions_batch_fkey" FOREIGN KEY ("tenant_id", "batch_id") REFERENCES "sepa_batches"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sepa_batch_exclusions" ADD CONSTRAINT "sepa_batch_exclusions_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('sepa_batch_exclusions');

-- Keyset pages of payments (newest value date first), schedule items (by due date) and mandates
-- (newest first): each list walks its index from the cursor.
CREATE INDEX "payments_tenant_id_value_date_id_idx" ON "payments"("tenant_id", "value_date", "id");
CREATE INDEX "schedule_items_tenant_id_due_date_id_idx" ON "schedule_items"("tenant_id", "due_date", "id");
CREATE INDEX "sepa_mandates_tenant_id_created_at_id_idx" ON "sepa_mandates"("tenant_id", "created_at", "id");

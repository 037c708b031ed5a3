-- CreateTable
CREATE TABLE "sepa_batch_files" (
    "tenant_id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "xml" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sepa_batch_files_pkey" PRIMARY KEY ("tenant_id","batch_id")
);

-- AddForeignKey
ALTER TABLE "sepa_batch_files" ADD CONSTRAINT "sepa_batch_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sepa_batch_files" ADD CONSTRAINT "sepa_batch_files_tenant_id_batch_id_fkey" FOREIGN KEY ("tenant_id", "batch_id") REFERENCES "sepa_batches"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('sepa_batch_files');

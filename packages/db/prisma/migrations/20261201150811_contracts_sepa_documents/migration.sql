-- CreateEnum
CREATE TYPE "contract_status" AS ENUM ('draft', 'sent', 'signed', 'active', 'suspended', 'terminated', 'cancelled');

-- CreateEnum
CREATE TYPE "payment_method" AS ENUM ('sepa_debit', 'transfer', 'card', 'cheque');

-- CreateEnum
CREATE TYPE "sepa_scheme" AS ENUM ('CORE', 'B2B');

-- CreateEnum
CREATE TYPE "mandate_status" AS ENUM ('active', 'revoked', 'expired');

-- CreateEnum
CREATE TYPE "schedule_item_status" AS ENUM ('planned', 'batched', 'submitted', 'paid', 'rejected', 'cancelled');

-- CreateEnum
CREATE TYPE "sequence_type" AS ENUM ('FRST', 'RCUR', 'OOFF', 'FNAL');

-- CreateEnum
CREATE TYPE "batch_status" AS ENUM ('generated', 'sent', 'cancelled');

-- CreateEnum
CREATE TYPE "payment_outcome" AS ENUM ('received', 'rejected');

-- CreateEnum
CREATE TYPE "document_kind" AS ENUM ('identity', 'bank_details', 'signed_contract', 'contract_pdf', 'mandate_pdf', 'other');

-- AlterTable
ALTER TABLE "organisations" ADD COLUMN     "contract_prefix" TEXT NOT NULL DEFAULT 'CT',
ADD COLUMN     "sepa_debit_day" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "sepa_format" TEXT NOT NULL DEFAULT 'pain.008.001.08',
ADD COLUMN     "sepa_pre_notification_days" INTEGER NOT NULL DEFAULT 14,
ADD COLUMN     "sepa_settle_after_days" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "sepa_use_frst" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "tenant_counters" (
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_counters_pkey" PRIMARY KEY ("tenant_id","name")
);

-- CreateTable
CREATE TABLE "contracts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "client_id" UUID NOT NULL,
    "sales_rep_id" UUID,
    "status" "contract_status" NOT NULL DEFAULT 'draft',
    "billing_frequency" "billing_frequency" NOT NULL,
    "start_date" DATE NOT NULL,
    "duration_months" INTEGER NOT NULL,
    "tacit_renewal" BOOLEAN NOT NULL DEFAULT true,
    "payment_method" "payment_method" NOT NULL,
    "consumer" BOOLEAN NOT NULL DEFAULT true,
    "pre_notification_days" INTEGER,
    "debit_day" INTEGER,
    "debtor_name" TEXT,
    "debtor_iban" TEXT,
    "debtor_bic" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "sent_at" TIMESTAMPTZ(3),
    "signed_at" TIMESTAMPTZ(3),
    "signed_on" DATE,
    "signer_name" TEXT,
    "signer_ip" TEXT,
    "signer_user_agent" TEXT,
    "signed_document_sha256" TEXT,
    "consent_text" TEXT,
    "activated_at" TIMESTAMPTZ(3),
    "suspended_at" TIMESTAMPTZ(3),
    "end_date" DATE,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancellation_reason" TEXT,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contracts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract_lines" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "product_id" UUID,
    "label" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,
    "vat_rate_basis_points" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "contract_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract_state_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "from_status" "contract_status",
    "to_status" "contract_status" NOT NULL,
    "actor_user_id" UUID,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contract_state_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sepa_mandates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "contract_id" UUID,
    "rum" TEXT NOT NULL,
    "debtor_name" TEXT NOT NULL,
    "iban" TEXT NOT NULL,
    "bic" TEXT,
    "signed_on" DATE NOT NULL,
    "signed_place" TEXT NOT NULL,
    "scheme" "sepa_scheme" NOT NULL DEFAULT 'CORE',
    "recurrent" BOOLEAN NOT NULL DEFAULT true,
    "status" "mandate_status" NOT NULL DEFAULT 'active',
    "last_collection_on" DATE,
    "original_rum" TEXT,
    "original_iban" TEXT,
    "original_creditor_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sepa_mandates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "mandate_id" UUID,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "due_date" DATE NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "payment_method" "payment_method" NOT NULL,
    "status" "schedule_item_status" NOT NULL DEFAULT 'planned',
    "sequence_type" "sequence_type",
    "end_to_end_id" TEXT,
    "batch_id" UUID,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedule_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sepa_batches" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "collection_date" DATE NOT NULL,
    "format" TEXT NOT NULL,
    "status" "batch_status" NOT NULL DEFAULT 'generated',
    "item_count" INTEGER NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "sepa_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_return_files" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "message_id" TEXT,
    "matched" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB NOT NULL DEFAULT '{}',
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_return_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "schedule_item_id" UUID,
    "contract_id" UUID,
    "client_id" UUID NOT NULL,
    "outcome" "payment_outcome" NOT NULL,
    "method" "payment_method" NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "value_date" DATE NOT NULL,
    "reason_code" TEXT,
    "reference" TEXT,
    "return_file_id" UUID,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "client_id" UUID,
    "contract_id" UUID,
    "kind" "document_kind" NOT NULL,
    "file_name" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contracts_tenant_id_client_id_idx" ON "contracts"("tenant_id", "client_id");

-- CreateIndex
CREATE INDEX "contracts_tenant_id_status_created_at_idx" ON "contracts"("tenant_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "contracts_tenant_id_id_key" ON "contracts"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "contracts_tenant_id_number_key" ON "contracts"("tenant_id", "number");

-- CreateIndex
CREATE INDEX "contract_lines_tenant_id_contract_id_position_idx" ON "contract_lines"("tenant_id", "contract_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "contract_lines_tenant_id_id_key" ON "contract_lines"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "contract_state_changes_tenant_id_contract_id_at_idx" ON "contract_state_changes"("tenant_id", "contract_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "contract_state_changes_tenant_id_id_key" ON "contract_state_changes"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "sepa_mandates_tenant_id_client_id_idx" ON "sepa_mandates"("tenant_id", "client_id");

-- CreateIndex
CREATE UNIQUE INDEX "sepa_mandates_tenant_id_id_key" ON "sepa_mandates"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "sepa_mandates_tenant_id_rum_key" ON "sepa_mandates"("tenant_id", "rum");

-- CreateIndex
CREATE INDEX "schedule_items_tenant_id_status_due_date_idx" ON "schedule_items"("tenant_id", "status", "due_date");

-- CreateIndex
CREATE INDEX "schedule_items_tenant_id_contract_id_period_start_idx" ON "schedule_items"("tenant_id", "contract_id", "period_start");

-- CreateIndex
CREATE INDEX "schedule_items_tenant_id_batch_id_idx" ON "schedule_items"("tenant_id", "batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_items_tenant_id_id_key" ON "schedule_items"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_items_tenant_id_end_to_end_id_key" ON "schedule_items"("tenant_id", "end_to_end_id");

-- CreateIndex
CREATE INDEX "sepa_batches_tenant_id_created_at_idx" ON "sepa_batches"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sepa_batches_tenant_id_id_key" ON "sepa_batches"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "sepa_batches_tenant_id_number_key" ON "sepa_batches"("tenant_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "sepa_batches_tenant_id_message_id_key" ON "sepa_batches"("tenant_id", "message_id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_return_files_tenant_id_id_key" ON "bank_return_files"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_return_files_tenant_id_sha256_key" ON "bank_return_files"("tenant_id", "sha256");

-- CreateIndex
CREATE INDEX "payments_tenant_id_client_id_value_date_idx" ON "payments"("tenant_id", "client_id", "value_date");

-- CreateIndex
CREATE INDEX "payments_tenant_id_outcome_value_date_idx" ON "payments"("tenant_id", "outcome", "value_date");

-- CreateIndex
CREATE UNIQUE INDEX "payments_tenant_id_id_key" ON "payments"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "documents_tenant_id_client_id_created_at_idx" ON "documents"("tenant_id", "client_id", "created_at");

-- CreateIndex
CREATE INDEX "documents_tenant_id_contract_id_created_at_idx" ON "documents"("tenant_id", "contract_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "documents_tenant_id_id_key" ON "documents"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "tenant_counters" ADD CONSTRAINT "tenant_counters_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_lines" ADD CONSTRAINT "contract_lines_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_lines" ADD CONSTRAINT "contract_lines_tenant_id_contract_id_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_state_changes" ADD CONSTRAINT "contract_state_changes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_state_changes" ADD CONSTRAINT "contract_state_changes_tenant_id_contract_id_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sepa_mandates" ADD CONSTRAINT "sepa_mandates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sepa_mandates" ADD CONSTRAINT "sepa_mandates_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sepa_mandates" ADD CONSTRAINT "sepa_mandates_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_mandate_fkey" FOREIGN KEY ("tenant_id", "mandate_id") REFERENCES "sepa_mandates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_batch_fkey" FOREIGN KEY ("tenant_id", "batch_id") REFERENCES "sepa_batches"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sepa_batches" ADD CONSTRAINT "sepa_batches_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_return_files" ADD CONSTRAINT "bank_return_files_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_return_file_fkey" FOREIGN KEY ("tenant_id", "return_file_id") REFERENCES "bank_return_files"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('tenant_counters');
SELECT crm_enable_tenant_rls('contracts');
SELECT crm_enable_tenant_rls('contract_lines');
SELECT crm_enable_tenant_rls('contract_state_changes');
SELECT crm_enable_tenant_rls('sepa_mandates');
SELECT crm_enable_tenant_rls('schedule_items');
SELECT crm_enable_tenant_rls('sepa_batches');
SELECT crm_enable_tenant_rls('bank_return_files');
SELECT crm_enable_tenant_rls('payments');
SELECT crm_enable_tenant_rls('documents');

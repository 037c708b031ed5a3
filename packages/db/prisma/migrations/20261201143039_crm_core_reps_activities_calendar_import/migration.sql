-- CreateEnum
CREATE TYPE "activity_kind" AS ENUM ('call', 'email', 'meeting', 'note', 'task');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('validated', 'queued', 'running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "duplicate_policy" AS ENUM ('skip', 'update', 'create');

-- AlterTable
ALTER TABLE "clients" ADD COLUMN     "anonymised_at" TIMESTAMPTZ(3),
ADD COLUMN     "merged_into_id" UUID,
ADD COLUMN     "sales_rep_id" UUID;

-- CreateTable
CREATE TABLE "sales_reps" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID,
    "manager_id" UUID,
    "code" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "team" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sales_reps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_rep_targets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "sales_rep_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "revenue_cents" INTEGER NOT NULL,
    "contracts_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sales_rep_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activities" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "activity_kind" NOT NULL,
    "type" TEXT,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "client_id" UUID,
    "owner_user_id" UUID NOT NULL,
    "due_date" DATE,
    "done_at" TIMESTAMPTZ(3),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "activities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "client_id" UUID,
    "owner_user_id" UUID NOT NULL,
    "attendee_user_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "reminder_minutes" INTEGER,
    "cancelled_at" TIMESTAMPTZ(3),
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_feeds" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_imports" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "created_by" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "encoding" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "mapping" JSONB NOT NULL DEFAULT '{}',
    "duplicate_policy" "duplicate_policy" NOT NULL DEFAULT 'skip',
    "status" "import_status" NOT NULL DEFAULT 'validated',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "valid_rows" INTEGER NOT NULL DEFAULT 0,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "inserted_rows" INTEGER NOT NULL DEFAULT 0,
    "updated_rows" INTEGER NOT NULL DEFAULT 0,
    "skipped_rows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "failure" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "client_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sales_reps_tenant_id_manager_id_idx" ON "sales_reps"("tenant_id", "manager_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_reps_tenant_id_id_key" ON "sales_reps"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_reps_tenant_id_code_key" ON "sales_reps"("tenant_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "sales_reps_tenant_id_user_id_key" ON "sales_reps"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_rep_targets_tenant_id_sales_rep_id_month_key" ON "sales_rep_targets"("tenant_id", "sales_rep_id", "month");

-- CreateIndex
CREATE INDEX "activities_tenant_id_client_id_occurred_at_idx" ON "activities"("tenant_id", "client_id", "occurred_at");

-- CreateIndex
CREATE INDEX "activities_tenant_id_owner_user_id_done_at_due_date_idx" ON "activities"("tenant_id", "owner_user_id", "done_at", "due_date");

-- CreateIndex
CREATE UNIQUE INDEX "activities_tenant_id_id_key" ON "activities"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "appointments_tenant_id_owner_user_id_starts_at_idx" ON "appointments"("tenant_id", "owner_user_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_tenant_id_starts_at_idx" ON "appointments"("tenant_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_tenant_id_client_id_idx" ON "appointments"("tenant_id", "client_id");

-- CreateIndex
CREATE UNIQUE INDEX "appointments_tenant_id_id_key" ON "appointments"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds"("token_hash");

-- CreateIndex
CREATE INDEX "calendar_feeds_tenant_id_user_id_idx" ON "calendar_feeds"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_tenant_id_id_key" ON "calendar_feeds"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "client_imports_tenant_id_created_at_idx" ON "client_imports"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "client_imports_tenant_id_id_key" ON "client_imports"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "clients_tenant_id_sales_rep_id_sort_name_id_idx" ON "clients"("tenant_id", "sales_rep_id", "sort_name", "id");

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_reps" ADD CONSTRAINT "sales_reps_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_reps" ADD CONSTRAINT "sales_reps_manager_fkey" FOREIGN KEY ("tenant_id", "manager_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_rep_targets" ADD CONSTRAINT "sales_rep_targets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_rep_targets" ADD CONSTRAINT "sales_rep_targets_tenant_id_sales_rep_id_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activities" ADD CONSTRAINT "activities_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activities" ADD CONSTRAINT "activities_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_imports" ADD CONSTRAINT "client_imports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Overlap checks look up every appointment a person attends.
CREATE INDEX "appointments_attendee_user_ids_idx" ON "appointments" USING GIN ("attendee_user_ids");

SELECT crm_enable_tenant_rls('sales_reps');
SELECT crm_enable_tenant_rls('sales_rep_targets');
SELECT crm_enable_tenant_rls('activities');
SELECT crm_enable_tenant_rls('appointments');
SELECT crm_enable_tenant_rls('calendar_feeds');
SELECT crm_enable_tenant_rls('client_imports');

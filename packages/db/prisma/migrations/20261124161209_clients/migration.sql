-- Trigram search over clients (accent-insensitive: search_text is stored without accents).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateEnum
CREATE TYPE "client_kind" AS ENUM ('person', 'company');

-- CreateEnum
CREATE TYPE "client_status" AS ENUM ('prospect', 'active', 'inactive', 'archived');

-- CreateTable
CREATE TABLE "clients" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "client_kind" NOT NULL,
    "civility" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "company_name" TEXT,
    "legal_form" TEXT,
    "siren" CHAR(9),
    "siret" CHAR(14),
    "email" TEXT,
    "phone" TEXT,
    "mobile" TEXT,
    "address_line1" TEXT,
    "address_line2" TEXT,
    "postal_code" TEXT,
    "city" TEXT,
    "country" CHAR(2) NOT NULL DEFAULT 'FR',
    "birth_date" DATE,
    "status" "client_status" NOT NULL DEFAULT 'prospect',
    "source" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "marketing_consent" BOOLEAN NOT NULL DEFAULT false,
    "marketing_consent_at" TIMESTAMPTZ(3),
    "notes" TEXT NOT NULL DEFAULT '',
    "display_name" TEXT NOT NULL,
    "sort_name" TEXT NOT NULL,
    "search_text" TEXT NOT NULL,
    "status_before_archive" "client_status",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "clients_tenant_id_sort_name_id_idx" ON "clients"("tenant_id", "sort_name", "id");

-- CreateIndex
CREATE INDEX "clients_tenant_id_created_at_id_idx" ON "clients"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "clients_tenant_id_status_idx" ON "clients"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "clients_tenant_id_email_idx" ON "clients"("tenant_id", "email");

-- CreateIndex
CREATE INDEX "clients_tenant_id_siret_idx" ON "clients"("tenant_id", "siret");

-- CreateIndex
CREATE INDEX "clients_search_text_trgm_idx" ON "clients" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "clients_tenant_id_id_key" ON "clients"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('clients');

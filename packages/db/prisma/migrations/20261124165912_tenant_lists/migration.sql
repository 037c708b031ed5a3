-- CreateEnum
CREATE TYPE "tenant_list_kind" AS ENUM ('client_tag', 'client_source', 'product_category', 'activity_type');

-- CreateTable
CREATE TABLE "tenant_list_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "tenant_list_kind" NOT NULL,
    "label" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_list_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tenant_list_items_tenant_id_kind_position_idx" ON "tenant_list_items"("tenant_id", "kind", "position");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_list_items_tenant_id_id_key" ON "tenant_list_items"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_list_items_tenant_id_kind_label_key" ON "tenant_list_items"("tenant_id", "kind", "label");

-- AddForeignKey
ALTER TABLE "tenant_list_items" ADD CONSTRAINT "tenant_list_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('tenant_list_items');

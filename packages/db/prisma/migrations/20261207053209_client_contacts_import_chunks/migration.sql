-- Contacts under company clients, and import files stored in slices (streamed in and out).

-- ---------------------------------------------------------------- import files in slices
CREATE TABLE "client_import_chunks" (
    "tenant_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "client_import_chunks_pkey" PRIMARY KEY ("tenant_id","import_id","seq")
);
ALTER TABLE "client_import_chunks" ADD CONSTRAINT "client_import_chunks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "client_import_chunks" ADD CONSTRAINT "client_import_chunks_import_fkey" FOREIGN KEY ("tenant_id", "import_id") REFERENCES "client_imports"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('client_import_chunks');

ALTER TABLE "client_imports"
ADD COLUMN     "inserted_contacts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sha256" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "size_bytes" INTEGER NOT NULL DEFAULT 0;

-- Files already uploaded become their one slice (every tenant's: the forced policies apply to
-- the owner running migrations too).
SELECT set_config('app.system', 'on', false);
INSERT INTO "client_import_chunks" ("tenant_id", "import_id", "seq", "bytes")
  SELECT "tenant_id", "id", 0, "content" FROM "client_imports";
UPDATE "client_imports" SET "size_bytes" = length("content"), "sha256" = encode(sha256("content"), 'hex');
SELECT set_config('app.system', '', false);

ALTER TABLE "client_imports" DROP COLUMN "content";

-- ---------------------------------------------------------------- contacts of a company
CREATE TABLE "client_contacts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "civility" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "role" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "mobile" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "client_contacts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "client_contacts_tenant_id_client_id_idx" ON "client_contacts"("tenant_id", "client_id");
CREATE UNIQUE INDEX "client_contacts_tenant_id_id_key" ON "client_contacts"("tenant_id", "id");
ALTER TABLE "client_contacts" ADD CONSTRAINT "client_contacts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "client_contacts" ADD CONSTRAINT "client_contacts_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('client_contacts');

-- A contact is visible, and writable, only with its client: the clients' own policies (tenant,
-- and the restrictive sales scope) apply to the sub-select, so a rep who cannot see a client
-- cannot see, add or change its contacts either, whatever path reads them. Restrictive: AND-ed
-- to the tenant policy. A foreign key alone would not do it (foreign keys bypass RLS).
CREATE POLICY client_scope ON client_contacts AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = client_contacts.tenant_id AND c.id = client_contacts.client_id))
  WITH CHECK (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = client_contacts.tenant_id AND c.id = client_contacts.client_id));

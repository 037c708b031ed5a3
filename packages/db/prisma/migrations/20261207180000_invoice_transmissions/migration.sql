-- Transmissions of issued invoices to the approved platform (Plateforme Agréée, issue 16;
-- rules in ../shared/notes/french-rules.md §2). One row per invoice: submitting again is
-- idempotent. Nothing is "transmitted" without the platform's receipt: `platform_id` and
-- `receipt` are set together, only from the platform's answer (the CHECK below), and the status
-- stays `pending` (an attempt without receipt, with its last error) until then.
CREATE TABLE "invoice_transmissions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    -- The platform's id of the deposited invoice and its deposit receipt (JSON as received).
    "platform_id" TEXT,
    "receipt" JSONB,
    -- The latest lifecycle status (AFNOR XP Z12-012 codes: 200 Déposée, 210 Refusée, 212 Encaissée,
    -- 213 Rejetée mandatory; others optional), and every status seen with its date, oldest first.
    "status" TEXT NOT NULL DEFAULT 'pending',
    "status_code" TEXT,
    "status_at" TIMESTAMPTZ(3),
    "history" JSONB NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "checked_at" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_transmissions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoice_transmissions_status_check" CHECK ("status" IN ('pending', 'deposee', 'emise', 'recue', 'mise_a_disposition', 'prise_en_charge',
      'approuvee', 'approuvee_partiellement', 'en_litige', 'suspendue', 'completee', 'refusee', 'paiement_transmis', 'encaissee', 'rejetee')),
    CONSTRAINT "invoice_transmissions_receipt_check" CHECK (
      ("status" = 'pending' AND "platform_id" IS NULL AND "receipt" IS NULL)
      OR ("status" <> 'pending' AND "platform_id" IS NOT NULL AND "receipt" IS NOT NULL AND "submitted_at" IS NOT NULL)),
    CONSTRAINT "invoice_transmissions_history_check" CHECK (jsonb_typeof("history") = 'array')
);
CREATE UNIQUE INDEX "invoice_transmissions_tenant_id_id_key" ON "invoice_transmissions"("tenant_id", "id");
CREATE UNIQUE INDEX "invoice_transmissions_tenant_id_invoice_id_key" ON "invoice_transmissions"("tenant_id", "invoice_id");
-- The refresh polls what has not reached a final status, oldest check first.
CREATE INDEX "invoice_transmissions_tenant_id_status_checked_at_idx" ON "invoice_transmissions"("tenant_id", "status", "checked_at");
ALTER TABLE "invoice_transmissions" ADD CONSTRAINT "invoice_transmissions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice_transmissions" ADD CONSTRAINT "invoice_transmissions_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('invoice_transmissions');

-- The client scope, as for the invoices' lines: a scoped member sees the transmissions of the
-- invoices they see.
CREATE POLICY scope_role ON "invoice_transmissions" AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON "invoice_transmissions" AS RESTRICTIVE TO crm_app_scoped
  USING (EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = invoice_transmissions.tenant_id AND i.id = invoice_transmissions.invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = invoice_transmissions.tenant_id AND i.id = invoice_transmissions.invoice_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON "invoice_transmissions" TO crm_app_scoped;

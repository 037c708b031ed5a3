-- Postal letters sent through Maileva (issue 17, logistics; rules in ../shared/notes/french-rules.md §5).
-- A letter is recorded in the transaction that decides it (`queueLetter`, like `queueTenantMail`)
-- and sent after the commit by the worker's letter sender: create the sending (with `custom_id` =
-- our reference, so a sending created before a crash is found again instead of made twice),
-- upload the PDF, add the recipient, submit. Statuses then come from Maileva's webhooks and a
-- reconciliation job; proofs are stored as documents of the client.
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'letter_proof';

CREATE TABLE "letters" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    -- The stored PDF sent (a document of the tenant).
    "document_id" UUID NOT NULL,
    "service" TEXT NOT NULL,
    -- Why it was sent (dunning, contract, document), and the dunning case that decided it.
    -- The case is a plain column here: the dunning tables come with their own migration.
    "purpose" TEXT NOT NULL,
    "dunning_case_id" UUID,
    "idempotency_key" TEXT NOT NULL,
    -- A member's id, or `system:<consumer>` for an event handler or a timed job.
    "created_by" TEXT,
    -- The recipient as it was when the letter was decided (postal lines 1-6, line 6 "CP Ville"),
    -- and the options sent explicitly (Maileva prints in colour by default).
    "address_lines" JSONB NOT NULL,
    "country_code" CHAR(2) NOT NULL,
    "color_printing" BOOLEAN NOT NULL DEFAULT false,
    "duplex_printing" BOOLEAN NOT NULL DEFAULT true,
    -- Our reference on the sending (Maileva `custom_id`): unique, known before the first call.
    "reference" TEXT NOT NULL,
    -- Delivery to Maileva: queued -> sending (leased) -> submitted | failed | uncertain.
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "environment" TEXT,
    "sending_id" TEXT,
    "recipient_id" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    -- What Maileva says: the sending's status (ACCEPTED, PROCESSED...), the recipient's delivery
    -- status code (A01, D01, N01...), the registered number, the postage in cents, and every status
    -- seen with its date, oldest first.
    "provider_status" TEXT,
    "delivery_status" TEXT,
    "registered_number" TEXT,
    "postage_cents" INTEGER,
    "history" JSONB NOT NULL DEFAULT '[]',
    "status_checked_at" TIMESTAMPTZ(3),
    "deposit_proof_document_id" UUID,
    "acknowledgement_document_id" UUID,
    "archive_document_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "letters_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "letters_service_check" CHECK ("service" IN ('simple', 'registered', 'registered_with_ack')),
    CONSTRAINT "letters_status_check" CHECK ("status" IN ('queued', 'sending', 'submitted', 'failed', 'uncertain')),
    CONSTRAINT "letters_purpose_check" CHECK (length("purpose") BETWEEN 1 AND 40),
    CONSTRAINT "letters_address_check" CHECK (jsonb_typeof("address_lines") = 'array'),
    CONSTRAINT "letters_history_check" CHECK (jsonb_typeof("history") = 'array'),
    CONSTRAINT "letters_postage_check" CHECK ("postage_cents" IS NULL OR "postage_cents" >= 0),
    -- Nothing is "submitted" without Maileva's sending id.
    CONSTRAINT "letters_submitted_check" CHECK ("status" <> 'submitted' OR ("sending_id" IS NOT NULL AND "submitted_at" IS NOT NULL))
);
CREATE UNIQUE INDEX "letters_tenant_id_id_key" ON "letters"("tenant_id", "id");
CREATE UNIQUE INDEX "letters_tenant_id_idempotency_key_key" ON "letters"("tenant_id", "idempotency_key");
CREATE UNIQUE INDEX "letters_reference_key" ON "letters"("reference");
CREATE INDEX "letters_tenant_id_client_id_created_at_idx" ON "letters"("tenant_id", "client_id", "created_at");
CREATE INDEX "letters_tenant_id_created_at_id_idx" ON "letters"("tenant_id", "created_at", "id");
-- The sender claims due rows across tenants; the webhook finds a letter by its sending id.
CREATE INDEX "letters_status_next_attempt_at_idx" ON "letters"("status", "next_attempt_at");
CREATE INDEX "letters_sending_id_idx" ON "letters"("sending_id");
ALTER TABLE "letters" ADD CONSTRAINT "letters_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "letters" ADD CONSTRAINT "letters_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "letters" ADD CONSTRAINT "letters_document_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "letters" ADD CONSTRAINT "letters_deposit_proof_fkey" FOREIGN KEY ("tenant_id", "deposit_proof_document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "letters" ADD CONSTRAINT "letters_acknowledgement_fkey" FOREIGN KEY ("tenant_id", "acknowledgement_document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "letters" ADD CONSTRAINT "letters_archive_fkey" FOREIGN KEY ("tenant_id", "archive_document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('letters');

-- A letter hangs on a client: it follows the client's visibility, like the client's mail.
CREATE POLICY scope_role ON "letters" AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON "letters" AS RESTRICTIVE TO crm_app_scoped
  USING (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = letters.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])))
  WITH CHECK (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = letters.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])));
GRANT SELECT, INSERT, UPDATE, DELETE ON "letters" TO crm_app_scoped;

-- The sender sleeps on LISTEN crm_effects (20261207150000): a committed letter wakes it too.
CREATE TRIGGER letters_notify AFTER INSERT ON letters
  FOR EACH STATEMENT EXECUTE FUNCTION crm_effects_notify();

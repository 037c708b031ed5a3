-- Re-presenting rejected debits (issue #17, "Retry"): the retries consumer decides, for every
-- rejection, whether the debit goes back to the bank (a new schedule item, attempt + 1, linked to
-- the rejected one, collected on a payday after the earliest possible date) or not (dunning).
--  * organisations: at most how many re-presentations (2 by default), the payday rule, and
--    whether a reject fee a contract states is charged (off by default).
--  * contracts.reject_fee_cents: the reject fee the contract states, if any.
--  * schedule_items.kind (a period of the contract, or a reject fee) and original_item_id (the
--    rejected item a re-presentation or a fee follows); one live re-presentation per rejected item.
--  * payment_retries: one decision per rejection (the rejects queue), visible like its client.
ALTER TABLE "organisations" ADD COLUMN "retry_max_attempts" INTEGER NOT NULL DEFAULT 2;
ALTER TABLE "organisations" ADD COLUMN "retry_payday_rule" TEXT NOT NULL DEFAULT 'after_first_of_month';
ALTER TABLE "organisations" ADD COLUMN "retry_reject_fee_enabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_retry_max_attempts_check" CHECK ("retry_max_attempts" BETWEEN 0 AND 5);
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_retry_payday_rule_check" CHECK ("retry_payday_rule" IN ('after_first_of_month', 'after_month_end', 'earliest'));

ALTER TABLE "contracts" ADD COLUMN "reject_fee_cents" INTEGER;
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_reject_fee_cents_check" CHECK ("reject_fee_cents" IS NULL OR "reject_fee_cents" BETWEEN 1 AND 100000);

CREATE TYPE "schedule_item_kind" AS ENUM ('instalment', 'reject_fee');
ALTER TABLE "schedule_items" ADD COLUMN "kind" "schedule_item_kind" NOT NULL DEFAULT 'instalment';
ALTER TABLE "schedule_items" ADD COLUMN "original_item_id" UUID;
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_original_item_fkey" FOREIGN KEY ("tenant_id", "original_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "schedule_items_tenant_id_original_item_id_idx" ON "schedule_items"("tenant_id", "original_item_id");
-- A rejected item is presented again once at a time, and charged one fee: the floor under a
-- replayed event or a person's "re-present now" racing the consumer.
CREATE UNIQUE INDEX "schedule_items_one_live_retry_key" ON "schedule_items"("tenant_id", "original_item_id", "kind") WHERE "original_item_id" IS NOT NULL AND "status" <> 'cancelled';
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_retry_link_check" CHECK (("attempt" = 1 AND "kind" = 'instalment') = ("original_item_id" IS NULL));

CREATE TABLE "payment_retries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "schedule_item_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "why" TEXT,
    "represented_item_id" UUID,
    "fee_item_id" UUID,
    "collection_date" DATE,
    "bank_details_requested_at" TIMESTAMPTZ(3),
    "decided_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "payment_retries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_retries_attempt_check" CHECK ("attempt" >= 1),
    CONSTRAINT "payment_retries_decision_check" CHECK ("decision" IN ('represent', 'unrecovered')),
    CONSTRAINT "payment_retries_why_check" CHECK (("decision" = 'unrecovered') = ("why" IS NOT NULL) AND ("why" IS NULL OR "why" IN ('not_retryable', 'attempts_exhausted', 'stopped')))
);
CREATE UNIQUE INDEX "payment_retries_tenant_id_id_key" ON "payment_retries"("tenant_id", "id");
CREATE UNIQUE INDEX "payment_retries_tenant_id_payment_id_key" ON "payment_retries"("tenant_id", "payment_id");
CREATE INDEX "payment_retries_tenant_id_created_at_id_idx" ON "payment_retries"("tenant_id", "created_at", "id");
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_payment_fkey" FOREIGN KEY ("tenant_id", "payment_id") REFERENCES "payments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payment_retries" ADD CONSTRAINT "payment_retries_represented_item_fkey" FOREIGN KEY ("tenant_id", "represented_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('payment_retries');

-- The client scope, as on payments (20261207100000_client_scope_everywhere).
CREATE POLICY scope_role ON payment_retries AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON payment_retries AS RESTRICTIVE TO crm_app_scoped
  USING (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = payment_retries.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])))
  WITH CHECK (EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant())
    AND c.id = payment_retries.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])));
GRANT SELECT, INSERT, UPDATE, DELETE ON "payment_retries" TO crm_app_scoped;

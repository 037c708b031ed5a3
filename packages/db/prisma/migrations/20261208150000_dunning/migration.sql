-- A dunning letter as posted (a reminder, the formal notice), kept as a document of the client.
ALTER TYPE "document_kind" ADD VALUE 'dunning_letter';

-- Dunning (relance, issue 17; rules in ../shared/notes/french-rules.md §4). Plans per organisation
-- and audience (b2b, b2c, and prospect for the commercial follow-ups), their ordered steps, the
-- cases opened on unrecovered debits, overdue invoices and new prospects, what each case claims
-- (items), its timeline (entries, the steps done among them) and the instalments of a payment plan.

CREATE TABLE "dunning_plans" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "audience" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dunning_plans_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_plans_audience_check" CHECK ("audience" IN ('b2b', 'b2c', 'prospect'))
);
CREATE UNIQUE INDEX "dunning_plans_tenant_id_id_key" ON "dunning_plans"("tenant_id", "id");
-- One plan per audience and organisation: the plan editor edits its steps.
CREATE UNIQUE INDEX "dunning_plans_tenant_id_audience_key" ON "dunning_plans"("tenant_id", "audience");
ALTER TABLE "dunning_plans" ADD CONSTRAINT "dunning_plans_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "dunning_plan_steps" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    -- Days after the case opened ('opened') or after the previous step ('previous').
    "delay_days" INTEGER NOT NULL,
    "delay_from" TEXT NOT NULL DEFAULT 'previous',
    "channel" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    -- French text with {{placeholders}} (dunning-templates.ts).
    "template" TEXT NOT NULL,
    -- Commercial follow-ups: 'no_contract' runs the step only while the prospect has no contract.
    "condition" TEXT,
    CONSTRAINT "dunning_plan_steps_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_plan_steps_delay_check" CHECK ("delay_days" BETWEEN 0 AND 365 AND "delay_from" IN ('opened', 'previous')),
    CONSTRAINT "dunning_plan_steps_channel_check" CHECK ("channel" IN ('email', 'letter', 'registered_letter', 'task', 'suspend_contract', 'terminate_contract')),
    CONSTRAINT "dunning_plan_steps_condition_check" CHECK ("condition" IS NULL OR "condition" = 'no_contract'),
    CONSTRAINT "dunning_plan_steps_position_check" CHECK ("position" >= 1)
);
CREATE UNIQUE INDEX "dunning_plan_steps_tenant_id_id_key" ON "dunning_plan_steps"("tenant_id", "id");
CREATE UNIQUE INDEX "dunning_plan_steps_tenant_id_plan_id_position_key" ON "dunning_plan_steps"("tenant_id", "plan_id", "position");
ALTER TABLE "dunning_plan_steps" ADD CONSTRAINT "dunning_plan_steps_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_plan_steps" ADD CONSTRAINT "dunning_plan_steps_plan_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "dunning_plans"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "dunning_cases" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'recovery',
    "audience" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    -- Steps done in the current cycle (a re-plan starts a new cycle at level 0).
    "level" INTEGER NOT NULL DEFAULT 0,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "opened_on" DATE NOT NULL,
    "cycle_started_on" DATE NOT NULL,
    "last_step_on" DATE,
    -- When the next step is due (null: the plan has no more steps, or the case is not open).
    "next_step_on" DATE,
    "pause_reason" TEXT,
    "pause_note" TEXT,
    -- The formal notice's date: B2C late interest runs from it only (french-rules.md §4).
    "formal_notice_on" DATE,
    "closed_on" DATE,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dunning_cases_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_cases_purpose_check" CHECK (("purpose" = 'recovery' AND "audience" IN ('b2b', 'b2c')) OR ("purpose" = 'commercial' AND "audience" = 'prospect')),
    CONSTRAINT "dunning_cases_status_check" CHECK ("status" IN ('open', 'paused', 'closed_paid', 'closed_written_off', 'closed_done')),
    CONSTRAINT "dunning_cases_pause_check" CHECK (("status" = 'paused') = ("pause_reason" IS NOT NULL) AND ("pause_reason" IS NULL OR "pause_reason" IN ('dispute', 'payment_plan'))),
    CONSTRAINT "dunning_cases_closed_check" CHECK (("status" LIKE 'closed%') = ("closed_on" IS NOT NULL))
) WITH (fillfactor = 70);
CREATE UNIQUE INDEX "dunning_cases_tenant_id_id_key" ON "dunning_cases"("tenant_id", "id");
-- One live case per client and purpose: new unpaid items join it.
CREATE UNIQUE INDEX "dunning_cases_live_key" ON "dunning_cases"("tenant_id", "client_id", "purpose") WHERE "status" IN ('open', 'paused');
-- The nightly run walks the open cases in id order (keyset batches): the rows a batch has just
-- moved on stay behind the cursor, never scanned again. The columns a step moves (level, dates)
-- are in no index and the table leaves room on its pages (fillfactor 70), so a step's update is a
-- HOT update: 100,000 cases moved on write no index entry.
CREATE INDEX "dunning_cases_open_by_id_idx" ON "dunning_cases"("tenant_id", "id") WHERE "status" = 'open';
CREATE INDEX "dunning_cases_tenant_id_client_id_idx" ON "dunning_cases"("tenant_id", "client_id");
ALTER TABLE "dunning_cases" ADD CONSTRAINT "dunning_cases_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_cases" ADD CONSTRAINT "dunning_cases_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "dunning_cases" ADD CONSTRAINT "dunning_cases_plan_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "dunning_plans"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What a recovery case claims: an unrecovered schedule item or an overdue invoice (or both, when the
-- invoice bills the item). Each at most once, ever: so the 40 EUR indemnity, set here for a B2B
-- invoice, is counted once per late invoice (C. com. L441-10), and never for a consumer.
CREATE TABLE "dunning_case_items" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "audience" TEXT NOT NULL,
    "schedule_item_id" UUID,
    "invoice_id" UUID,
    "contract_id" UUID,
    "label" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "paid_cents" INTEGER NOT NULL DEFAULT 0,
    "due_date" DATE NOT NULL,
    "indemnity_cents" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dunning_case_items_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_case_items_source_check" CHECK ("schedule_item_id" IS NOT NULL OR "invoice_id" IS NOT NULL),
    CONSTRAINT "dunning_case_items_amounts_check" CHECK ("amount_cents" >= 0 AND "paid_cents" >= 0),
    -- B2C: no recovery fee, ever (CPCE L111-8). The rule lives in dunning-rules.ts; this is its last line.
    CONSTRAINT "dunning_case_items_consumer_fees_check" CHECK ("audience" IN ('b2b', 'b2c') AND ("audience" = 'b2b' OR "indemnity_cents" = 0)),
    CONSTRAINT "dunning_case_items_indemnity_check" CHECK ("indemnity_cents" IN (0, 4000) AND ("indemnity_cents" = 0 OR "invoice_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "dunning_case_items_tenant_id_id_key" ON "dunning_case_items"("tenant_id", "id");
CREATE UNIQUE INDEX "dunning_case_items_schedule_item_key" ON "dunning_case_items"("tenant_id", "schedule_item_id") WHERE "schedule_item_id" IS NOT NULL;
CREATE UNIQUE INDEX "dunning_case_items_invoice_key" ON "dunning_case_items"("tenant_id", "invoice_id") WHERE "invoice_id" IS NOT NULL;
CREATE INDEX "dunning_case_items_tenant_id_case_id_idx" ON "dunning_case_items"("tenant_id", "case_id");
ALTER TABLE "dunning_case_items" ADD CONSTRAINT "dunning_case_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_case_items" ADD CONSTRAINT "dunning_case_items_case_fkey" FOREIGN KEY ("tenant_id", "case_id") REFERENCES "dunning_cases"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_case_items" ADD CONSTRAINT "dunning_case_items_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "dunning_case_items" ADD CONSTRAINT "dunning_case_items_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A case's timeline: opened, items added, steps done (kind 'step', once per cycle and position),
-- payments, pauses, plans, proofs, closing.
CREATE TABLE "dunning_case_entries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "on_date" DATE NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cycle" INTEGER,
    "position" INTEGER,
    "channel" TEXT,
    -- A step's state: done at once (mail queued, task opened) or pending (a letter to render and post).
    "state" TEXT,
    "title" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "document_id" UUID,
    "activity_id" UUID,
    "effect_key" TEXT,
    "created_by" TEXT,
    CONSTRAINT "dunning_case_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_case_entries_kind_check" CHECK ("kind" IN ('opened', 'item', 'step', 'payment', 'paused', 'resumed', 'replanned', 'payment_plan', 'instalment', 'proof', 'closed')),
    CONSTRAINT "dunning_case_entries_step_check" CHECK (("kind" = 'step') = ("cycle" IS NOT NULL AND "position" IS NOT NULL AND "channel" IS NOT NULL AND "state" IS NOT NULL)),
    CONSTRAINT "dunning_case_entries_state_check" CHECK ("state" IS NULL OR "state" IN ('done', 'pending', 'skipped', 'failed'))
);
-- A step is recorded once per cycle: the nightly run replayed records nothing twice.
CREATE UNIQUE INDEX "dunning_case_entries_step_key" ON "dunning_case_entries"("tenant_id", "case_id", "cycle", "position") WHERE "kind" = 'step';
-- Nothing references an entry: no (tenant_id, id) key to maintain on the nightly run's inserts.
CREATE INDEX "dunning_case_entries_tenant_id_case_id_idx" ON "dunning_case_entries"("tenant_id", "case_id");
CREATE INDEX "dunning_case_entries_pending_idx" ON "dunning_case_entries"("tenant_id", "state", "on_date") WHERE "state" = 'pending';
ALTER TABLE "dunning_case_entries" ADD CONSTRAINT "dunning_case_entries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_case_entries" ADD CONSTRAINT "dunning_case_entries_case_fkey" FOREIGN KEY ("tenant_id", "case_id") REFERENCES "dunning_cases"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_case_entries" ADD CONSTRAINT "dunning_case_entries_document_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A payment plan agreed with the debtor: its instalments, each with its date and amount, tracked.
CREATE TABLE "dunning_instalments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "paid_cents" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dunning_instalments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dunning_instalments_amounts_check" CHECK ("amount_cents" > 0 AND "paid_cents" BETWEEN 0 AND "amount_cents")
);
CREATE UNIQUE INDEX "dunning_instalments_tenant_id_id_key" ON "dunning_instalments"("tenant_id", "id");
CREATE UNIQUE INDEX "dunning_instalments_tenant_id_case_id_position_key" ON "dunning_instalments"("tenant_id", "case_id", "position");
ALTER TABLE "dunning_instalments" ADD CONSTRAINT "dunning_instalments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dunning_instalments" ADD CONSTRAINT "dunning_instalments_case_fkey" FOREIGN KEY ("tenant_id", "case_id") REFERENCES "dunning_cases"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- tenancy
SELECT crm_enable_tenant_rls('dunning_plans');
SELECT crm_enable_tenant_rls('dunning_plan_steps');
SELECT crm_enable_tenant_rls('dunning_cases');
SELECT crm_enable_tenant_rls('dunning_case_items');
SELECT crm_enable_tenant_rls('dunning_case_entries');
SELECT crm_enable_tenant_rls('dunning_instalments');

-- The client scope (20261207100000_client_scope_everywhere): a scoped member sees the cases of the
-- clients they see, and what hangs on those cases.
DO $$
DECLARE
  tbl text;
  rule text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['dunning_cases', 'dunning_case_items', 'dunning_case_entries', 'dunning_instalments'] LOOP
    EXECUTE format('CREATE POLICY scope_role ON %I AS RESTRICTIVE '
                   'USING ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped'')) '
                   'WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped''))', tbl);
    rule := CASE tbl
      WHEN 'dunning_cases' THEN 'EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant()) '
        'AND c.id = dunning_cases.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))'
      ELSE format('EXISTS (SELECT 1 FROM dunning_cases d WHERE d.tenant_id = %1$I.tenant_id AND d.id = %1$I.case_id)', tbl)
    END;
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE TO crm_app_scoped USING (%s) WITH CHECK (%s)', tbl, rule, rule);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "dunning_plans", "dunning_plan_steps", "dunning_cases", "dunning_case_items", "dunning_case_entries", "dunning_instalments" TO crm_app_scoped;

-- Commissions for sales reps (issue 18; rules in ../shared/notes/french-rules.md §7).
--
-- Plans are versioned and effective-dated; a contract is commissioned with the version in force
-- at its signature (commission_contracts keeps which). Lines are provisional, then earned; an
-- earned line is given the month of the statement it will appear on (statement_month) when it is
-- earned: the month it was earned in, or the rep's first month not yet issued. Issuing a month's
-- statements is then one aggregate per rep, and an issued statement's lines can never change
-- (trigger below): a correction is a line (adjustment or clawback) on a later statement.

-- ---------------------------------------------------------------- reps: salaried or agent
ALTER TABLE "sales_reps"
  ADD COLUMN "commission_status" TEXT NOT NULL DEFAULT 'salaried',
  ADD COLUMN "payroll_id" TEXT,
  ADD COLUMN "agent_legal_name" TEXT,
  ADD COLUMN "agent_siren" CHAR(9),
  ADD COLUMN "agent_vat_number" TEXT,
  ADD COLUMN "agent_address" TEXT,
  ADD COLUMN "agent_vat_franchise" BOOLEAN NOT NULL DEFAULT false,
  ADD CONSTRAINT "sales_reps_commission_status_check" CHECK ("commission_status" IN ('salaried', 'agent'));

-- ---------------------------------------------------------------- plans
CREATE TABLE "commission_plans" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "commission_plans_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "commission_plans_tenant_id_id_key" ON "commission_plans"("tenant_id", "id");
CREATE UNIQUE INDEX "commission_plans_tenant_id_name_key" ON "commission_plans"("tenant_id", "name");
-- One default plan per organisation at most.
CREATE UNIQUE INDEX "commission_plans_tenant_id_default_key" ON "commission_plans"("tenant_id") WHERE "is_default";
ALTER TABLE "commission_plans" ADD CONSTRAINT "commission_plans_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A version never changes once written: a new rule is a new version from a date.
CREATE TABLE "commission_plan_versions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "rules" JSONB NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "commission_plan_versions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "commission_plan_versions_version_check" CHECK ("version" >= 1)
);
CREATE UNIQUE INDEX "commission_plan_versions_tenant_id_id_key" ON "commission_plan_versions"("tenant_id", "id");
CREATE UNIQUE INDEX "commission_plan_versions_tenant_id_plan_id_version_key" ON "commission_plan_versions"("tenant_id", "plan_id", "version");
CREATE UNIQUE INDEX "commission_plan_versions_tenant_id_plan_id_effective_from_key" ON "commission_plan_versions"("tenant_id", "plan_id", "effective_from");
ALTER TABLE "commission_plan_versions" ADD CONSTRAINT "commission_plan_versions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_plan_versions" ADD CONSTRAINT "commission_plan_versions_plan_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "commission_plans"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Which plan a rep is on: their own assignment, else their team's (sales_reps.team), else the default.
CREATE TABLE "commission_plan_assignments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "sales_rep_id" UUID,
    "team" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "commission_plan_assignments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "commission_plan_assignments_target_check" CHECK (("sales_rep_id" IS NULL) <> ("team" IS NULL))
);
CREATE UNIQUE INDEX "commission_plan_assignments_tenant_id_id_key" ON "commission_plan_assignments"("tenant_id", "id");
CREATE UNIQUE INDEX "commission_plan_assignments_tenant_id_sales_rep_id_key" ON "commission_plan_assignments"("tenant_id", "sales_rep_id");
CREATE UNIQUE INDEX "commission_plan_assignments_tenant_id_team_key" ON "commission_plan_assignments"("tenant_id", "team");
ALTER TABLE "commission_plan_assignments" ADD CONSTRAINT "commission_plan_assignments_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_plan_assignments" ADD CONSTRAINT "commission_plan_assignments_plan_fkey" FOREIGN KEY ("tenant_id", "plan_id") REFERENCES "commission_plans"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_plan_assignments" ADD CONSTRAINT "commission_plan_assignments_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- commissioned contracts
-- What the signature fixed for the commission: the rep, the plan version in force that day, the
-- contract's yearly value excl. VAT, and what happened since (first debit, end).
CREATE TABLE "commission_contracts" (
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "sales_rep_id" UUID NOT NULL,
    "plan_version_id" UUID,
    "signed_on" DATE NOT NULL,
    "consumer" BOOLEAN NOT NULL,
    "value_cents" INTEGER NOT NULL,
    "first_debit_on" DATE,
    "ended_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "commission_contracts_pkey" PRIMARY KEY ("tenant_id", "contract_id")
);
CREATE INDEX "commission_contracts_tenant_id_sales_rep_id_signed_on_idx" ON "commission_contracts"("tenant_id", "sales_rep_id", "signed_on");
ALTER TABLE "commission_contracts" ADD CONSTRAINT "commission_contracts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_contracts" ADD CONSTRAINT "commission_contracts_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_contracts" ADD CONSTRAINT "commission_contracts_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_contracts" ADD CONSTRAINT "commission_contracts_plan_version_fkey" FOREIGN KEY ("tenant_id", "plan_version_id") REFERENCES "commission_plan_versions"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- per rep: the first month still open
CREATE TABLE "commission_rep_balances" (
    "tenant_id" UUID NOT NULL,
    "sales_rep_id" UUID NOT NULL,
    "last_issued_month" DATE,
    "carried_cents" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "commission_rep_balances_pkey" PRIMARY KEY ("tenant_id", "sales_rep_id"),
    CONSTRAINT "commission_rep_balances_carried_check" CHECK ("carried_cents" <= 0)
);
ALTER TABLE "commission_rep_balances" ADD CONSTRAINT "commission_rep_balances_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_rep_balances" ADD CONSTRAINT "commission_rep_balances_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- lines
CREATE TABLE "commission_lines" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "sales_rep_id" UUID NOT NULL,
    "contract_id" UUID,
    "plan_version_id" UUID,
    "kind" TEXT NOT NULL,
    "trigger" TEXT,
    "status" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "base_cents" INTEGER,
    "rate_basis_points" INTEGER,
    "earn_after" DATE,
    "awaits_first_debit" BOOLEAN NOT NULL DEFAULT false,
    "occurred_on" DATE NOT NULL,
    "earned_on" DATE,
    "statement_month" DATE,
    "related_line_id" UUID,
    "payment_id" UUID,
    "source_key" TEXT NOT NULL,
    "source_event_id" UUID,
    "label" TEXT NOT NULL,
    "reason" TEXT,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "commission_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "commission_lines_kind_check" CHECK ("kind" IN ('one_shot', 'recurring', 'tier', 'cap', 'override', 'clawback', 'adjustment')),
    CONSTRAINT "commission_lines_status_check" CHECK ("status" IN ('provisional', 'earned', 'void')),
    CONSTRAINT "commission_lines_earned_check" CHECK (("status" = 'earned') = ("earned_on" IS NOT NULL AND "statement_month" IS NOT NULL)),
    CONSTRAINT "commission_lines_month_check" CHECK ("statement_month" IS NULL OR extract(day FROM "statement_month") = 1),
    -- A manual adjustment says why and who (C. trav. L7313-7: a detailed statement).
    CONSTRAINT "commission_lines_adjustment_check" CHECK ("kind" <> 'adjustment' OR ("reason" IS NOT NULL AND length(btrim("reason")) > 0 AND "created_by" IS NOT NULL)),
    CONSTRAINT "commission_lines_clawback_check" CHECK ("kind" NOT IN ('clawback', 'override') OR "related_line_id" IS NOT NULL),
    CONSTRAINT "commission_lines_sign_check" CHECK ("kind" IN ('adjustment', 'override') OR ("kind" IN ('clawback', 'cap')) = ("amount_cents" <= 0) OR "amount_cents" = 0)
);
CREATE UNIQUE INDEX "commission_lines_tenant_id_id_key" ON "commission_lines"("tenant_id", "id");
-- Each event (or rule applied to it) makes its line once.
CREATE UNIQUE INDEX "commission_lines_tenant_id_source_key_key" ON "commission_lines"("tenant_id", "source_key");
CREATE INDEX "commission_lines_tenant_id_sales_rep_id_statement_month_idx" ON "commission_lines"("tenant_id", "sales_rep_id", "statement_month");
CREATE INDEX "commission_lines_tenant_id_statement_month_idx" ON "commission_lines"("tenant_id", "statement_month");
CREATE INDEX "commission_lines_tenant_id_contract_id_idx" ON "commission_lines"("tenant_id", "contract_id");
CREATE INDEX "commission_lines_tenant_id_related_line_id_idx" ON "commission_lines"("tenant_id", "related_line_id") WHERE "related_line_id" IS NOT NULL;
CREATE INDEX "commission_lines_tenant_id_earn_after_idx" ON "commission_lines"("tenant_id", "earn_after") WHERE "status" = 'provisional';
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_plan_version_fkey" FOREIGN KEY ("tenant_id", "plan_version_id") REFERENCES "commission_plan_versions"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- A line's rep has a balance row (commission-lines.ts holds it), so issuance finds every line
-- through the balances it locks.
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_balance_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "commission_rep_balances"("tenant_id", "sales_rep_id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_related_line_fkey" FOREIGN KEY ("tenant_id", "related_line_id") REFERENCES "commission_lines"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- documents of a rep
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'commission_statement';
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'commission_self_billing';
ALTER TABLE "documents" ADD COLUMN "sales_rep_id" UUID;
CREATE INDEX "documents_tenant_id_sales_rep_id_idx" ON "documents"("tenant_id", "sales_rep_id") WHERE "sales_rep_id" IS NOT NULL;
ALTER TABLE "documents" ADD CONSTRAINT "documents_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- A document belongs to someone: a client, a contract, or a sales rep (their statements).
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_check" CHECK ("client_id" IS NOT NULL OR "contract_id" IS NOT NULL OR "sales_rep_id" IS NOT NULL) NOT VALID;

-- ---------------------------------------------------------------- statements
CREATE TABLE "commission_statements" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "sales_rep_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "number" TEXT NOT NULL,
    "commission_status" TEXT NOT NULL,
    "opening_balance_cents" INTEGER NOT NULL,
    "lines_cents" INTEGER NOT NULL,
    "clawbacks_cents" INTEGER NOT NULL,
    "adjustments_cents" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "net_payable_cents" INTEGER NOT NULL,
    "carried_forward_cents" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "self_billing_number" TEXT,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "issued_by" TEXT NOT NULL,
    "document_id" UUID,
    "self_billing_document_id" UUID,
    CONSTRAINT "commission_statements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "commission_statements_month_check" CHECK (extract(day FROM "month") = 1),
    CONSTRAINT "commission_statements_status_check" CHECK ("commission_status" IN ('salaried', 'agent')),
    -- Never a deduction below zero pay: a negative total is carried forward (C. trav. L7313-7).
    CONSTRAINT "commission_statements_totals_check" CHECK (
      "opening_balance_cents" <= 0
      AND "total_cents" = "opening_balance_cents" + "lines_cents" + "clawbacks_cents" + "adjustments_cents"
      AND "net_payable_cents" = greatest(0, "total_cents")
      AND "carried_forward_cents" = least(0, "total_cents")),
    CONSTRAINT "commission_statements_self_billing_check" CHECK (("commission_status" = 'agent') = ("self_billing_number" IS NOT NULL))
);
CREATE UNIQUE INDEX "commission_statements_tenant_id_id_key" ON "commission_statements"("tenant_id", "id");
CREATE UNIQUE INDEX "commission_statements_tenant_id_number_key" ON "commission_statements"("tenant_id", "number");
CREATE UNIQUE INDEX "commission_statements_tenant_id_self_billing_number_key" ON "commission_statements"("tenant_id", "self_billing_number");
CREATE UNIQUE INDEX "commission_statements_tenant_id_sales_rep_id_month_key" ON "commission_statements"("tenant_id", "sales_rep_id", "month");
CREATE INDEX "commission_statements_tenant_id_month_idx" ON "commission_statements"("tenant_id", "month");
ALTER TABLE "commission_statements" ADD CONSTRAINT "commission_statements_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "commission_statements" ADD CONSTRAINT "commission_statements_sales_rep_fkey" FOREIGN KEY ("tenant_id", "sales_rep_id") REFERENCES "sales_reps"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_statements" ADD CONSTRAINT "commission_statements_document_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commission_statements" ADD CONSTRAINT "commission_statements_self_billing_document_fkey" FOREIGN KEY ("tenant_id", "self_billing_document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- immutability
-- An issued statement never changes: only its documents are attached, once, after it (they are
-- rendered from what it froze). It is never deleted. The lines of an issued statement are frozen
-- the same way, and no line may join an issued month. The domain answers a CONFLICT first; this
-- is the floor under every other path.
CREATE FUNCTION crm_commission_frozen() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_TABLE_NAME = 'commission_statements' THEN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'issued commission statement % cannot be deleted', OLD.number USING ERRCODE = '23514';
      END IF;
      IF (to_jsonb(NEW) - 'document_id' - 'self_billing_document_id') IS DISTINCT FROM (to_jsonb(OLD) - 'document_id' - 'self_billing_document_id')
         OR (OLD.document_id IS NOT NULL AND NEW.document_id IS DISTINCT FROM OLD.document_id)
         OR (OLD.self_billing_document_id IS NOT NULL AND NEW.self_billing_document_id IS DISTINCT FROM OLD.self_billing_document_id) THEN
        RAISE EXCEPTION 'issued commission statement % cannot be changed', OLD.number USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.statement_month IS NOT NULL AND EXISTS (
         SELECT 1 FROM commission_statements s
         WHERE s.tenant_id = OLD.tenant_id AND s.sales_rep_id = OLD.sales_rep_id AND s.month = OLD.statement_month) THEN
      RAISE EXCEPTION 'a line of an issued commission statement cannot be changed' USING ERRCODE = '23514';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.statement_month IS NOT NULL AND EXISTS (
         SELECT 1 FROM commission_statements s
         WHERE s.tenant_id = NEW.tenant_id AND s.sales_rep_id = NEW.sales_rep_id AND s.month = NEW.statement_month) THEN
      RAISE EXCEPTION 'no line may join an issued commission statement' USING ERRCODE = '23514';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END
  $$;
CREATE TRIGGER commission_statements_frozen BEFORE UPDATE OR DELETE ON "commission_statements" FOR EACH ROW EXECUTE FUNCTION crm_commission_frozen();
CREATE TRIGGER commission_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON "commission_lines" FOR EACH ROW EXECUTE FUNCTION crm_commission_frozen();

-- ---------------------------------------------------------------- tenancy and who sees what
SELECT crm_enable_tenant_rls('commission_plans');
SELECT crm_enable_tenant_rls('commission_plan_versions');
SELECT crm_enable_tenant_rls('commission_plan_assignments');
SELECT crm_enable_tenant_rls('commission_contracts');
SELECT crm_enable_tenant_rls('commission_rep_balances');
SELECT crm_enable_tenant_rls('commission_lines');
SELECT crm_enable_tenant_rls('commission_statements');

-- Like the client scope (20261207100000_client_scope_everywhere): a member with a sales scope sees
-- the rows of their own rep, a manager with a team those of the reps of the team (the same list of
-- reps, app.client_scope), everyone else all. Rows are the rep's pay, so the rule is the row's own
-- rep, not a client's. Named client_scope so the catalog test counts them with the others.
DO $$
DECLARE
  tbl text;
  rule constant text := 'sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[])';
BEGIN
  FOREACH tbl IN ARRAY ARRAY['commission_contracts', 'commission_rep_balances', 'commission_lines', 'commission_statements'] LOOP
    EXECUTE format('CREATE POLICY scope_role ON %I AS RESTRICTIVE '
                   'USING ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped'')) '
                   'WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped''))', tbl);
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE TO crm_app_scoped USING (%s) WITH CHECK (%s)', tbl, rule, rule);
  END LOOP;
END
$$;
-- Assignments name a rep or a team; plans and versions are the organisation's rules, read by all.
CREATE POLICY client_scope ON "commission_plan_assignments" AS RESTRICTIVE TO crm_app_scoped
  USING (sales_rep_id IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))
  WITH CHECK (false);
-- A rep's documents (statements, self-billing invoices): the rep's, their manager's, the back office's.
CREATE POLICY rep_scope ON "documents" AS RESTRICTIVE TO crm_app_scoped
  USING (sales_rep_id IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))
  WITH CHECK (sales_rep_id IS NULL OR sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]));

GRANT SELECT, INSERT, UPDATE, DELETE ON "commission_plans", "commission_plan_versions", "commission_plan_assignments",
  "commission_contracts", "commission_rep_balances", "commission_lines", "commission_statements" TO crm_app_scoped;

-- Invoices and credit notes (issue 16; rules in ../shared/notes/french-rules.md §1-2).
--
-- A draft has no number and may change or go; issuing gives it the next number of its series,
-- taken from a tenant_counters row locked in the issuing transaction (never a SEQUENCE, which
-- leaves gaps on rollback), freezes the snapshot it is rendered from (its sha256 beside it) and
-- makes it immutable: a trigger refuses any change of what was issued, whatever the caller.

-- ---------------------------------------------------------------- what the mentions need
ALTER TABLE "organisations"
  ADD COLUMN "share_capital_cents" BIGINT,
  ADD COLUMN "rcs_city" TEXT,
  ADD COLUMN "vat_regime" TEXT NOT NULL DEFAULT 'reel_normal',
  ADD COLUMN "vat_on_debits" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "late_penalty_rate_text" TEXT DEFAULT 'Taux de refinancement de la BCE majoré de 10 points',
  ADD COLUMN "late_penalty_rate_basis_points" INTEGER,
  ADD COLUMN "discount_terms" TEXT DEFAULT 'Pas d''escompte pour paiement anticipé',
  ADD COLUMN "invoice_grouping" TEXT NOT NULL DEFAULT 'per_item',
  ADD COLUMN "invoice_notice_days" INTEGER NOT NULL DEFAULT 14,
  ADD COLUMN "invoice_auto_issue" BOOLEAN NOT NULL DEFAULT false,
  ADD CONSTRAINT "organisations_vat_regime_check" CHECK ("vat_regime" IN ('reel_normal', 'reel_simplifie', 'franchise')),
  ADD CONSTRAINT "organisations_invoice_grouping_check" CHECK ("invoice_grouping" IN ('per_item', 'per_client_month')),
  ADD CONSTRAINT "organisations_invoice_notice_days_check" CHECK ("invoice_notice_days" BETWEEN 1 AND 60),
  ADD CONSTRAINT "organisations_share_capital_check" CHECK ("share_capital_cents" IS NULL OR "share_capital_cents" >= 0);

-- Goods or services (BT-23 operation category), and a VAT exemption with its legal mention.
ALTER TABLE "products"
  ADD COLUMN "supply_kind" TEXT NOT NULL DEFAULT 'services',
  ADD COLUMN "vat_exemption_reason" TEXT,
  ADD CONSTRAINT "products_supply_kind_check" CHECK ("supply_kind" IN ('goods', 'services'));

-- A business buyer's intra-community VAT number (BT-48).
ALTER TABLE "clients" ADD COLUMN "vat_number" TEXT;

-- ---------------------------------------------------------------- series
CREATE TABLE "invoice_series" (
    "tenant_id" UUID NOT NULL,
    "series" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "yearly_reset" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_series_pkey" PRIMARY KEY ("tenant_id", "series"),
    CONSTRAINT "invoice_series_series_check" CHECK ("series" IN ('b2c', 'b2b', 'credit_note')),
    CONSTRAINT "invoice_series_prefix_check" CHECK ("prefix" ~ '^[A-Z0-9-]{1,10}$')
);
-- Two series never print the same number.
CREATE UNIQUE INDEX "invoice_series_tenant_id_prefix_key" ON "invoice_series"("tenant_id", "prefix");
ALTER TABLE "invoice_series" ADD CONSTRAINT "invoice_series_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------- invoices
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'invoice',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "series" TEXT NOT NULL,
    "number" TEXT,
    "client_id" UUID NOT NULL,
    "contract_id" UUID,
    "mandate_id" UUID,
    "buyer_kind" TEXT NOT NULL,
    "payment_method" "payment_method" NOT NULL DEFAULT 'sepa_debit',
    "issue_date" DATE,
    "due_date" DATE,
    "debit_date" DATE,
    "period_start" DATE,
    "period_end" DATE,
    "delivery_date" DATE,
    "purchase_order" TEXT,
    "net_cents" INTEGER NOT NULL DEFAULT 0,
    "vat_cents" INTEGER NOT NULL DEFAULT 0,
    "gross_cents" INTEGER NOT NULL DEFAULT 0,
    "paid_cents" INTEGER NOT NULL DEFAULT 0,
    "credited_cents" INTEGER NOT NULL DEFAULT 0,
    "credited_invoice_id" UUID,
    "reason" TEXT,
    -- JSON, not JSONB: the text keeps its key order, so the sha256 of the snapshot as stored
    -- (JSON.stringify with two spaces and a final newline, the JSON artefact's bytes) can be checked.
    "snapshot" JSON,
    "snapshot_sha256" TEXT,
    "issued_at" TIMESTAMPTZ(3),
    "issued_by" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoices_kind_check" CHECK ("kind" IN ('invoice', 'credit_note')),
    CONSTRAINT "invoices_status_check" CHECK ("status" IN ('draft', 'issued', 'partly_paid', 'paid', 'overdue', 'cancelled')),
    CONSTRAINT "invoices_series_check" CHECK ("series" IN ('b2c', 'b2b', 'credit_note')),
    CONSTRAINT "invoices_buyer_kind_check" CHECK ("buyer_kind" IN ('consumer', 'business')),
    CONSTRAINT "invoices_amounts_check" CHECK ("paid_cents" >= 0 AND "credited_cents" >= 0 AND "gross_cents" = "net_cents" + "vat_cents"),
    -- A number exactly when issued, with its date, snapshot and hash.
    CONSTRAINT "invoices_issued_check" CHECK (
      ("status" = 'draft' AND "number" IS NULL AND "issue_date" IS NULL AND "snapshot" IS NULL)
      OR ("status" <> 'draft' AND "number" IS NOT NULL AND "issue_date" IS NOT NULL AND "snapshot" IS NOT NULL AND "snapshot_sha256" IS NOT NULL)),
    CONSTRAINT "invoices_credit_note_check" CHECK (("kind" = 'credit_note') = ("series" = 'credit_note') AND ("kind" = 'invoice' OR "credited_invoice_id" IS NOT NULL))
);

CREATE UNIQUE INDEX "invoices_tenant_id_id_key" ON "invoices"("tenant_id", "id");
CREATE UNIQUE INDEX "invoices_tenant_id_number_key" ON "invoices"("tenant_id", "number");
-- The list: newest first, by keyset on (created_at, id), filtered by status, client or series.
CREATE INDEX "invoices_tenant_id_created_at_id_idx" ON "invoices"("tenant_id", "created_at", "id");
CREATE INDEX "invoices_tenant_id_client_id_created_at_idx" ON "invoices"("tenant_id", "client_id", "created_at");
CREATE INDEX "invoices_tenant_id_status_due_date_idx" ON "invoices"("tenant_id", "status", "due_date");
CREATE INDEX "invoices_tenant_id_credited_invoice_id_idx" ON "invoices"("tenant_id", "credited_invoice_id") WHERE "credited_invoice_id" IS NOT NULL;

ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_mandate_fkey" FOREIGN KEY ("tenant_id", "mandate_id") REFERENCES "sepa_mandates"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_credited_invoice_fkey" FOREIGN KEY ("tenant_id", "credited_invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "invoice_lines" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,
    "net_cents" INTEGER NOT NULL,
    "vat_category" TEXT NOT NULL DEFAULT 'S',
    "vat_rate_basis_points" INTEGER NOT NULL,
    "vat_exemption_reason" TEXT,
    "supply_kind" TEXT NOT NULL DEFAULT 'services',
    "product_id" UUID,
    "schedule_item_id" UUID,
    "period_start" DATE,
    "period_end" DATE,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoice_lines_vat_check" CHECK ("vat_category" IN ('S', 'E', 'Z') AND "vat_rate_basis_points" BETWEEN 0 AND 10000
      AND ("vat_category" <> 'E' OR "vat_exemption_reason" IS NOT NULL)),
    CONSTRAINT "invoice_lines_supply_kind_check" CHECK ("supply_kind" IN ('goods', 'services')),
    CONSTRAINT "invoice_lines_net_check" CHECK ("net_cents" = "quantity" * "unit_price_cents")
);
CREATE UNIQUE INDEX "invoice_lines_tenant_id_id_key" ON "invoice_lines"("tenant_id", "id");
CREATE INDEX "invoice_lines_tenant_id_invoice_id_position_idx" ON "invoice_lines"("tenant_id", "invoice_id", "position");
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_product_fkey" FOREIGN KEY ("tenant_id", "product_id") REFERENCES "products"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The schedule items an invoice bills: each item is invoiced once (the unique index is what makes
-- drafting from the schedule idempotent, under concurrency too). Deleting a draft frees its items.
CREATE TABLE "invoice_schedule_items" (
    "tenant_id" UUID NOT NULL,
    "schedule_item_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,

    CONSTRAINT "invoice_schedule_items_pkey" PRIMARY KEY ("tenant_id", "schedule_item_id")
);
CREATE INDEX "invoice_schedule_items_tenant_id_invoice_id_idx" ON "invoice_schedule_items"("tenant_id", "invoice_id");
ALTER TABLE "invoice_schedule_items" ADD CONSTRAINT "invoice_schedule_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice_schedule_items" ADD CONSTRAINT "invoice_schedule_items_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice_schedule_items" ADD CONSTRAINT "invoice_schedule_items_schedule_item_fkey" FOREIGN KEY ("tenant_id", "schedule_item_id") REFERENCES "schedule_items"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- artefacts kept ten years
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'invoice_pdf';
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'invoice_xml';
ALTER TYPE "document_kind" ADD VALUE IF NOT EXISTS 'invoice_json';
ALTER TABLE "documents" ADD COLUMN "invoice_id" UUID;
CREATE INDEX "documents_tenant_id_invoice_id_idx" ON "documents"("tenant_id", "invoice_id") WHERE "invoice_id" IS NOT NULL;
ALTER TABLE "documents" ADD CONSTRAINT "documents_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- immutability
-- What was issued never changes (CGI 289; LPF L102 B): only the settlement columns move
-- (status, paid, credited, paid_at, updated_at), and an issued invoice is never deleted. The
-- domain answers a clear CONFLICT first; this is the floor under every other path.
CREATE FUNCTION crm_invoice_frozen() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_TABLE_NAME = 'invoices' THEN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'issued invoice % cannot be deleted', OLD.number USING ERRCODE = '23514';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status <> 'draft' AND (
           NEW.status = 'draft' OR NEW.number IS DISTINCT FROM OLD.number OR NEW.series IS DISTINCT FROM OLD.series
        OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.client_id IS DISTINCT FROM OLD.client_id
        OR NEW.issue_date IS DISTINCT FROM OLD.issue_date OR NEW.due_date IS DISTINCT FROM OLD.due_date
        OR NEW.net_cents IS DISTINCT FROM OLD.net_cents OR NEW.vat_cents IS DISTINCT FROM OLD.vat_cents
        OR NEW.gross_cents IS DISTINCT FROM OLD.gross_cents OR NEW.snapshot::text IS DISTINCT FROM OLD.snapshot::text
        OR NEW.snapshot_sha256 IS DISTINCT FROM OLD.snapshot_sha256 OR NEW.credited_invoice_id IS DISTINCT FROM OLD.credited_invoice_id) THEN
        RAISE EXCEPTION 'issued invoice % cannot be changed', OLD.number USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END IF;
    -- invoice_lines: only a draft's lines change.
    IF EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = OLD.tenant_id AND i.id = OLD.invoice_id AND i.status <> 'draft') THEN
      RAISE EXCEPTION 'lines of an issued invoice cannot be changed' USING ERRCODE = '23514';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END
  $$;
CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON "invoices" FOR EACH ROW EXECUTE FUNCTION crm_invoice_frozen();
CREATE TRIGGER invoice_lines_frozen BEFORE UPDATE OR DELETE ON "invoice_lines" FOR EACH ROW EXECUTE FUNCTION crm_invoice_frozen();

-- ---------------------------------------------------------------- tenancy
SELECT crm_enable_tenant_rls('invoice_series');
SELECT crm_enable_tenant_rls('invoices');
SELECT crm_enable_tenant_rls('invoice_lines');
SELECT crm_enable_tenant_rls('invoice_schedule_items');

-- The client scope (20261207100000_client_scope_everywhere): a member with a sales or team scope
-- sees the invoices of the clients they see, and the lines and links of those invoices.
DO $$
DECLARE
  tbl text;
  rule text;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['invoices', 'invoice_lines', 'invoice_schedule_items'] LOOP
    EXECUTE format('CREATE POLICY scope_role ON %I AS RESTRICTIVE '
                   'USING ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped'')) '
                   'WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = ''crm_app_scoped''))', tbl);
    rule := CASE tbl
      WHEN 'invoices' THEN 'EXISTS (SELECT 1 FROM clients c WHERE c.tenant_id = (SELECT crm_current_tenant()) '
        'AND c.id = invoices.client_id AND c.sales_rep_id IS NOT NULL AND c.sales_rep_id = ANY ((SELECT crm_client_scope_ids())::uuid[]))'
      ELSE format('EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = %1$I.tenant_id AND i.id = %1$I.invoice_id)', tbl)
    END;
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE TO crm_app_scoped USING (%s) WITH CHECK (%s)', tbl, rule, rule);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "invoice_series", "invoices", "invoice_lines", "invoice_schedule_items" TO crm_app_scoped;

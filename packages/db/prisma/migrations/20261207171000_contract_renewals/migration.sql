-- Tacit renewal (issue #16, "Renewal"): a contract renewed by tacit agreement gets its next term's
-- schedule on a timed job, and a consumer gets the notice L215-1 of the Code de la consommation
-- requires, between three months and one month before the last day to refuse the renewal.
--  * organisations.renewal_refusal_days: how many days before the term's end a client must say
--    no (the notice period of the contract terms; 30 by default, 0 = up to the last day).
--  * contracts.renewed_terms: how many terms were added after the first (0 until renewed).
--  * contract_renewals: one row per contract and term, what was done for it and when (the notice,
--    its channel, whether it was late, the schedule's extension). Visible like its contract.
ALTER TABLE "organisations" ADD COLUMN "renewal_refusal_days" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_renewal_refusal_days_check" CHECK ("renewal_refusal_days" BETWEEN 0 AND 180);
ALTER TABLE "contracts" ADD COLUMN "renewed_terms" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "contract_renewals" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "term" INTEGER NOT NULL,
    "term_start" DATE NOT NULL,
    "term_end" DATE NOT NULL,
    "refuse_by" DATE NOT NULL,
    "notice_sent_on" DATE,
    "notice_channel" TEXT,
    "notice_late" BOOLEAN NOT NULL DEFAULT false,
    "renewed_on" DATE,
    "items_added" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "contract_renewals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contract_renewals_term_check" CHECK ("term" >= 2),
    CONSTRAINT "contract_renewals_channel_check" CHECK ("notice_channel" IN ('email', 'letter_task'))
);
CREATE UNIQUE INDEX "contract_renewals_tenant_id_id_key" ON "contract_renewals"("tenant_id", "id");
CREATE UNIQUE INDEX "contract_renewals_tenant_id_contract_id_term_key" ON "contract_renewals"("tenant_id", "contract_id", "term");
ALTER TABLE "contract_renewals" ADD CONSTRAINT "contract_renewals_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contract_renewals" ADD CONSTRAINT "contract_renewals_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contract_renewals" ADD CONSTRAINT "contract_renewals_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('contract_renewals');

-- The client scope, as on contracts' other rows (20261207100000_client_scope_everywhere).
CREATE POLICY scope_role ON contract_renewals AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON contract_renewals AS RESTRICTIVE TO crm_app_scoped
  USING (EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = contract_renewals.tenant_id AND k.id = contract_renewals.contract_id))
  WITH CHECK (EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = contract_renewals.tenant_id AND k.id = contract_renewals.contract_id));

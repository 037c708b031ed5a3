-- Signing a contract at a distance, in hand-over mode, and from frozen data (issues #14, #15 §4).
--  * contracts.signature_snapshot: everything the signed PDFs show, frozen at signature, so the
--    worker (and every later download or verification) renders the signed document from it and
--    its sha256 still matches the evidence whatever changed since (organisation, client, lines).
--  * contracts.signing_channel: in_app (in front of the rep), hand_over (the client on the rep's
--    tablet, in the hand-over mode), remote (the client through a mailed link).
--  * contracts.signer_capacity: a company's signer says in what capacity they sign ("gérant").
--  * contract_signing_links: one-time links mailed to the client. Only the token's sha256 is kept;
--    a link is used once, expires, and is revoked when the contract is resent or leaves "sent".
--    The mail effect that carried it (and when it was sent) is the link's delivery record.
ALTER TABLE "contracts" ADD COLUMN "signature_snapshot" JSONB;
ALTER TABLE "contracts" ADD COLUMN "signing_channel" TEXT;
ALTER TABLE "contracts" ADD COLUMN "signer_capacity" TEXT;
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_signing_channel_check" CHECK ("signing_channel" IN ('in_app', 'hand_over', 'remote'));

CREATE TABLE "contract_signing_links" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" UUID,
    "mail_effect_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "used_at" TIMESTAMPTZ(3),
    "used_ip" TEXT,
    "mail_sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contract_signing_links_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contract_signing_links_revoked_reason_check" CHECK ("revoked_reason" IN ('resent', 'contract_changed', 'signed_elsewhere'))
);
CREATE UNIQUE INDEX "contract_signing_links_tenant_id_id_key" ON "contract_signing_links"("tenant_id", "id");
CREATE UNIQUE INDEX "contract_signing_links_token_hash_key" ON "contract_signing_links"("token_hash");
CREATE INDEX "contract_signing_links_tenant_id_contract_id_idx" ON "contract_signing_links"("tenant_id", "contract_id");
ALTER TABLE "contract_signing_links" ADD CONSTRAINT "contract_signing_links_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contract_signing_links" ADD CONSTRAINT "contract_signing_links_contract_fkey" FOREIGN KEY ("tenant_id", "contract_id") REFERENCES "contracts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "contract_signing_links" ADD CONSTRAINT "contract_signing_links_client_fkey" FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "contract_signing_links" ADD CONSTRAINT "contract_signing_links_mail_effect_fkey" FOREIGN KEY ("tenant_id", "mail_effect_id") REFERENCES "outgoing_effects"("tenant_id", "id") ON DELETE SET NULL ("mail_effect_id");
SELECT crm_enable_tenant_rls('contract_signing_links');

-- The client scope, as on contracts' other rows (20261207100000_client_scope_everywhere).
CREATE POLICY scope_role ON contract_signing_links AS RESTRICTIVE
  USING ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'))
  WITH CHECK ((SELECT crm_sees_all_clients() OR current_user = 'crm_app_scoped'));
CREATE POLICY client_scope ON contract_signing_links AS RESTRICTIVE TO crm_app_scoped
  USING (EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = contract_signing_links.tenant_id AND k.id = contract_signing_links.contract_id))
  WITH CHECK (EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = contract_signing_links.tenant_id AND k.id = contract_signing_links.contract_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON "contract_signing_links" TO crm_app_scoped;

-- The seed events' mail (issue 15): the welcome mail is the organisation's choice (off by
-- default); a tenant mail may carry stored documents as attachments (their ids, read by the
-- sender from the document storage), names the client it was written to (the client's timeline
-- and the message log), and a resend names the mail it repeats.

-- AlterTable
ALTER TABLE "organisations" ADD COLUMN "welcome_mail_enabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "outgoing_effects"
  ADD COLUMN "attachments" UUID[] NOT NULL DEFAULT '{}',
  ADD COLUMN "client_id" UUID,
  ADD COLUMN "resent_from" UUID;

-- Same tenant only: a mail names a client, or a resent mail, of its own tenant. A client that
-- is erased keeps its mail log (the recipient address stays), the link is cleared.
ALTER TABLE "outgoing_effects" ADD CONSTRAINT "outgoing_effects_client_fkey"
  FOREIGN KEY ("tenant_id", "client_id") REFERENCES "clients"("tenant_id", "id") ON DELETE SET NULL ("client_id");
ALTER TABLE "outgoing_effects" ADD CONSTRAINT "outgoing_effects_resent_from_fkey"
  FOREIGN KEY ("tenant_id", "resent_from") REFERENCES "outgoing_effects"("tenant_id", "id") ON DELETE SET NULL ("resent_from");

-- The client's timeline, and the message log's keyset paging (newest first).
CREATE INDEX "outgoing_effects_tenant_id_client_id_created_at_idx" ON "outgoing_effects"("tenant_id", "client_id", "created_at");
CREATE INDEX "outgoing_effects_tenant_id_id_idx" ON "outgoing_effects"("tenant_id", "id");

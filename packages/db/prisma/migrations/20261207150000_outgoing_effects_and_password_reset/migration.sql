-- Outgoing effects (mail now; letters and webhooks later) and password reset.
--
-- One delivery engine over two queues (ARCHITECTURE.md, "Outgoing effects"): `system_mails`
-- (global, a person's account mail) gains the delivery columns, and `outgoing_effects` is the
-- tenant's queue under row-level security. A row is written in the transaction of the change
-- that causes it, once per idempotency key; the worker's sender claims due rows (FOR UPDATE
-- SKIP LOCKED, a lease), sends after commit, and records the provider's answer. A lease that
-- expires while 'sending' on a transport that cannot deduplicate becomes 'uncertain': shown,
-- never resent automatically.

-- The status type serves both queues.
ALTER TYPE "system_mail_status" RENAME TO "effect_status";
ALTER TYPE "effect_status" ADD VALUE 'sending';
ALTER TYPE "effect_status" ADD VALUE 'sent';
ALTER TYPE "effect_status" ADD VALUE 'failed';
ALTER TYPE "effect_status" ADD VALUE 'uncertain';

-- AlterTable: delivery of system mail.
ALTER TABLE "system_mails"
    ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "lease_until" TIMESTAMPTZ(3),
    ADD COLUMN "transport" TEXT,
    ADD COLUMN "provider_message_id" TEXT,
    ADD COLUMN "last_error" TEXT,
    ADD COLUMN "sent_at" TIMESTAMPTZ(3),
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "system_mails_status_next_attempt_at_idx" ON "system_mails"("status", "next_attempt_at");

-- CreateTable: the tenant's outgoing effects.
CREATE TABLE "outgoing_effects" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'email',
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT,
    "template" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_by" TEXT,
    "status" "effect_status" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "transport" TEXT,
    "provider_message_id" TEXT,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outgoing_effects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outgoing_effects_kind_check" CHECK ("kind" IN ('email'))
);

-- CreateIndex: one effect per key and tenant.
CREATE UNIQUE INDEX "outgoing_effects_tenant_id_idempotency_key_key" ON "outgoing_effects"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "outgoing_effects_tenant_id_id_key" ON "outgoing_effects"("tenant_id", "id");

-- CreateIndex: the sender's claim (across tenants, through withSystem).
CREATE INDEX "outgoing_effects_tenant_id_status_next_attempt_at_idx" ON "outgoing_effects"("tenant_id", "status", "next_attempt_at");
CREATE INDEX "outgoing_effects_status_next_attempt_at_idx" ON "outgoing_effects"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "outgoing_effects" ADD CONSTRAINT "outgoing_effects_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('outgoing_effects');

-- The sender sleeps on LISTEN crm_effects; a committed insert into either queue wakes it.
CREATE FUNCTION crm_effects_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_effects', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER system_mails_notify AFTER INSERT ON system_mails
  FOR EACH STATEMENT EXECUTE FUNCTION crm_effects_notify();
CREATE TRIGGER outgoing_effects_notify AFTER INSERT ON outgoing_effects
  FOR EACH STATEMENT EXECUTE FUNCTION crm_effects_notify();

-- CreateTable: password reset by e-mail, like sign-up: only sha256 of the link's secret is
-- stored; the link is single-use and expires. Global like users (it belongs to a user).
CREATE TABLE "password_reset_requests" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "ip" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_reset_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "password_reset_requests_token_hash_key" ON "password_reset_requests"("token_hash");

-- CreateIndex
CREATE INDEX "password_reset_requests_user_id_idx" ON "password_reset_requests"("user_id");

-- AddForeignKey
ALTER TABLE "password_reset_requests" ADD CONSTRAINT "password_reset_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

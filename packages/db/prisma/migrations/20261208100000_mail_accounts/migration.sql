-- The users' own mail accounts (issue 15 §2; ../shared/notes/french-rules.md §6): a Google or
-- Microsoft account connected by OAuth (authorization code + PKCE, send-only scopes), or a plain
-- SMTP account. Their secrets (refresh token, SMTP password) are stored encrypted only
-- (AES-256-GCM under the tenant's data key, itself wrapped by the master key of the
-- environment, packages/domain/src/mail-accounts/secret-box.ts); nothing here is readable
-- without that key.

-- One data key per tenant, wrapped (encrypted) by the master key named by `master_key_id`.
CREATE TABLE "tenant_mail_keys" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "wrapped_key" BYTEA NOT NULL,
    "master_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3),
    CONSTRAINT "tenant_mail_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tenant_mail_keys_tenant_id_key" ON "tenant_mail_keys"("tenant_id");
ALTER TABLE "tenant_mail_keys" ADD CONSTRAINT "tenant_mail_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('tenant_mail_keys');

-- A member's connected account. `secret` is the ciphertext of the refresh token (google,
-- microsoft) or of the SMTP password (smtp), bound to (tenant, user, id): copied to another row
-- it no longer decrypts. `status`: active, or reauth_required after the provider refused the
-- refresh token (invalid_grant) until its owner connects it again.
CREATE TABLE "mail_connections" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "secret" BYTEA NOT NULL,
    "key_version" INTEGER NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "smtp_host" TEXT,
    "smtp_port" INTEGER,
    "smtp_secure" BOOLEAN,
    "smtp_username" TEXT,
    "last_error" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_connections_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mail_connections_provider_check" CHECK ("provider" IN ('google', 'microsoft', 'smtp')),
    CONSTRAINT "mail_connections_status_check" CHECK ("status" IN ('active', 'reauth_required')),
    CONSTRAINT "mail_connections_smtp_check" CHECK (("provider" = 'smtp') = ("smtp_host" IS NOT NULL AND "smtp_port" IS NOT NULL AND "smtp_secure" IS NOT NULL))
);
CREATE UNIQUE INDEX "mail_connections_tenant_id_id_key" ON "mail_connections"("tenant_id", "id");
CREATE UNIQUE INDEX "mail_connections_tenant_id_user_id_provider_email_key" ON "mail_connections"("tenant_id", "user_id", "provider", "email");
ALTER TABLE "mail_connections" ADD CONSTRAINT "mail_connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- A member's own account: it goes with the membership.
ALTER TABLE "mail_connections" ADD CONSTRAINT "mail_connections_member_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "memberships"("tenant_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('mail_connections');

-- A connection being made: the OAuth state (its sha256 only) and the PKCE verifier, bound to the
-- member who started it, for ten minutes; used once.
CREATE TABLE "mail_connection_requests" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "state_hash" TEXT NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_connection_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mail_connection_requests_provider_check" CHECK ("provider" IN ('google', 'microsoft'))
);
CREATE UNIQUE INDEX "mail_connection_requests_tenant_id_state_hash_key" ON "mail_connection_requests"("tenant_id", "state_hash");
CREATE INDEX "mail_connection_requests_tenant_id_user_id_idx" ON "mail_connection_requests"("tenant_id", "user_id");
ALTER TABLE "mail_connection_requests" ADD CONSTRAINT "mail_connection_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mail_connection_requests" ADD CONSTRAINT "mail_connection_requests_member_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "memberships"("tenant_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('mail_connection_requests');

-- Which account sends the organisation's automated mail: a connected account of the tenant, or
-- NULL for the system sender. A connection removed falls back to the system sender.
ALTER TABLE "organisations" ADD COLUMN "mail_sender_connection_id" UUID;
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_mail_sender_fkey"
  FOREIGN KEY ("id", "mail_sender_connection_id") REFERENCES "mail_connections"("tenant_id", "id") ON DELETE SET NULL ("mail_sender_connection_id");

-- The organisation's own wording of its automated mail (issue 15 §2): one row per template key it
-- changed; a key without a row uses the default text (packages/domain/src/mail-templates/).
CREATE TABLE "mail_templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_templates_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mail_templates_tenant_id_key_key" ON "mail_templates"("tenant_id", "key");
ALTER TABLE "mail_templates" ADD CONSTRAINT "mail_templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
SELECT crm_enable_tenant_rls('mail_templates');

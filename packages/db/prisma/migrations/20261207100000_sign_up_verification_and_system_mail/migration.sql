-- Sign-up by verified e-mail, and the queue of system mail (see schema.prisma).
-- Both tables are global, like users: a sign-up request belongs to an address, a system mail to a
-- user or an address, never to a tenant (packages/db/test/rls-catalog.test.ts lists them).

-- CreateEnum
CREATE TYPE "system_mail_status" AS ENUM ('queued');

-- CreateTable
CREATE TABLE "sign_up_requests" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "organisation_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "ip" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_up_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "system_mails" (
    "id" UUID NOT NULL,
    "user_id" UUID,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "link" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT NOT NULL,
    "status" "system_mail_status" NOT NULL DEFAULT 'queued',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "system_mails_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sign_up_requests_token_hash_key" ON "sign_up_requests"("token_hash");

-- CreateIndex
CREATE INDEX "sign_up_requests_email_idx" ON "sign_up_requests"("email");

-- CreateIndex
CREATE UNIQUE INDEX "system_mails_idempotency_key_key" ON "system_mails"("idempotency_key");

-- CreateIndex
CREATE INDEX "system_mails_recipient_created_at_idx" ON "system_mails"("recipient", "created_at");

-- CreateIndex
CREATE INDEX "system_mails_created_at_idx" ON "system_mails"("created_at");

-- AddForeignKey
ALTER TABLE "system_mails" ADD CONSTRAINT "system_mails_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

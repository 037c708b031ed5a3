-- Tickets that open the notification stream (SSE) once, replacing the access token the stream's
-- URL used to carry (URLs end up in proxy and server logs). A ticket is `<tenant id>.<secret>`:
-- only sha256(secret) is stored; it is deleted when used (DELETE ... RETURNING: a second use
-- finds nothing), valid 30 seconds, for one purpose, and goes with the membership it was issued
-- under. It opens a stream only beside the refresh cookie of the session (refresh token family)
-- it was asked for under, so a ticket read from a log, or another user's, opens nothing.
-- Tenant-owned under row-level security like the calendar feeds and invitations.

-- CreateTable
CREATE TABLE "stream_tickets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stream_tickets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stream_tickets_purpose_check" CHECK ("purpose" IN ('notifications')),
    CONSTRAINT "stream_tickets_lifetime_check" CHECK ("expires_at" <= "created_at" + interval '60 seconds')
);

-- CreateIndex
CREATE UNIQUE INDEX "stream_tickets_token_hash_key" ON "stream_tickets"("token_hash");

-- CreateIndex
CREATE INDEX "stream_tickets_tenant_id_user_id_expires_at_idx" ON "stream_tickets"("tenant_id", "user_id", "expires_at");

-- CreateIndex
CREATE INDEX "stream_tickets_session_id_idx" ON "stream_tickets"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "stream_tickets_tenant_id_id_key" ON "stream_tickets"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "stream_tickets" ADD CONSTRAINT "stream_tickets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: a removed member's tickets go with the membership.
ALTER TABLE "stream_tickets" ADD CONSTRAINT "stream_tickets_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "memberships"("tenant_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: a session (login) that goes takes its tickets with it.
ALTER TABLE "stream_tickets" ADD CONSTRAINT "stream_tickets_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "refresh_token_families"("id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('stream_tickets');

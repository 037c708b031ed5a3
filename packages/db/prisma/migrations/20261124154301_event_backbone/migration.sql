-- CreateTable
CREATE TABLE "processed_events" (
    "tenant_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("tenant_id","consumer","event_id")
);

-- CreateTable
CREATE TABLE "dead_letters" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replayed_at" TIMESTAMPTZ(3),

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT,
    "event_id" UUID,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "in_app" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("tenant_id","user_id","type")
);

-- CreateTable
CREATE TABLE "dashboard_daily" (
    "tenant_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "new_clients" INTEGER NOT NULL DEFAULT 0,
    "contracts_signed" INTEGER NOT NULL DEFAULT 0,
    "invoices_issued" INTEGER NOT NULL DEFAULT 0,
    "invoiced_cents" BIGINT NOT NULL DEFAULT 0,
    "payments_received" INTEGER NOT NULL DEFAULT 0,
    "received_cents" BIGINT NOT NULL DEFAULT 0,
    "payments_rejected" INTEGER NOT NULL DEFAULT 0,
    "rejected_cents" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "dashboard_daily_pkey" PRIMARY KEY ("tenant_id","day")
);

-- CreateIndex
CREATE INDEX "dead_letters_tenant_id_failed_at_idx" ON "dead_letters"("tenant_id", "failed_at");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letters_tenant_id_id_key" ON "dead_letters"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letters_tenant_id_consumer_event_id_key" ON "dead_letters"("tenant_id", "consumer", "event_id");

-- CreateIndex
CREATE INDEX "notifications_tenant_id_user_id_id_idx" ON "notifications"("tenant_id", "user_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_tenant_id_id_key" ON "notifications"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "processed_events" ADD CONSTRAINT "processed_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dead_letters" ADD CONSTRAINT "dead_letters_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_daily" ADD CONSTRAINT "dashboard_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant isolation for the new tenant tables.
SELECT crm_enable_tenant_rls('processed_events');
SELECT crm_enable_tenant_rls('dead_letters');
SELECT crm_enable_tenant_rls('notifications');
SELECT crm_enable_tenant_rls('notification_preferences');
SELECT crm_enable_tenant_rls('dashboard_daily');

-- The relay sleeps on LISTEN crm_outbox; a committed insert wakes it (NOTIFY is delivered at
-- commit, never for a rolled-back transaction). One notification per statement is enough.
CREATE FUNCTION crm_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION crm_outbox_notify();

-- Open notification streams (tRPC subscriptions) sleep on LISTEN crm_notifications; the payload
-- is the recipient's user id, so only that user's streams look again.
CREATE FUNCTION crm_notification_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_notifications', NEW.user_id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER notifications_notify AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION crm_notification_notify();

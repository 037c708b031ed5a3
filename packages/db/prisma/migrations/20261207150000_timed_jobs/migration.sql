-- Timed jobs (docs/decisions/0001-timed-jobs.md): work due at a time for a tenant, one row per
-- (tenant, kind, key) so scheduling is an idempotent upsert that moves the date. The worker
-- claims due rows of every tenant with FOR UPDATE SKIP LOCKED (withSystem, the loud path) and
-- runs each in its tenant's transaction, where the work and the completion commit together.
-- Tenant-owned under row-level security like every other tenant table.

-- CreateTable
CREATE TABLE "timed_jobs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "recurrence" TEXT,
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 5,
    "last_outcome" TEXT,
    "last_error" TEXT,
    "last_run_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "timed_jobs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "timed_jobs_state_check" CHECK ("state" IN ('scheduled', 'done', 'failed')),
    CONSTRAINT "timed_jobs_last_outcome_check" CHECK ("last_outcome" IN ('succeeded', 'failed')),
    CONSTRAINT "timed_jobs_attempts_check" CHECK ("attempts" >= 0 AND "max_attempts" >= 1),
    CONSTRAINT "timed_jobs_key_check" CHECK (length("kind") BETWEEN 1 AND 100 AND length("key") BETWEEN 1 AND 200)
);

-- CreateIndex
CREATE UNIQUE INDEX "timed_jobs_tenant_id_id_key" ON "timed_jobs"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "timed_jobs_tenant_id_kind_key_key" ON "timed_jobs"("tenant_id", "kind", "key");

-- CreateIndex: the operations page, per tenant by next run.
CREATE INDEX "timed_jobs_tenant_id_run_at_idx" ON "timed_jobs"("tenant_id", "run_at");

-- CreateIndex: the claim scans due jobs of every tenant (like the outbox relay), so not tenant first.
CREATE INDEX "timed_jobs_state_run_at_idx" ON "timed_jobs"("state", "run_at");

-- AddForeignKey
ALTER TABLE "timed_jobs" ADD CONSTRAINT "timed_jobs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

SELECT crm_enable_tenant_rls('timed_jobs');

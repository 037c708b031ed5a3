import type { Prisma} from '@crm/db';
import { type Tx } from '@crm/db';
import { parseRecurrence } from './recurrence.ts';

export interface ScheduleJobInput {
  kind: string;
  /** What makes it one job: the same (kind, key) in the tenant is the same job. */
  key: string;
  runAt: Date;
  payload?: Prisma.InputJsonValue;
  /** A rule for the next runs once this one succeeds (recurrence.ts); none: runs once. */
  recurrence?: string;
  maxAttempts?: number;
}

/**
 * Schedules a job in the caller's transaction, for the tenant of that transaction (never one
 * given by the caller: `crm_current_tenant()`, none set refuses), so it commits or rolls back
 * with the business change that wants it. Idempotent on (tenant, kind, key): scheduling again
 * moves the date, replaces the payload and makes it due again (also after it ran), and
 * withdraws a claim a worker may hold without having started it.
 */
export async function scheduleJob(tx: Tx, input: ScheduleJobInput): Promise<{ id: string }> {
  if (input.recurrence !== undefined) parseRecurrence(input.recurrence); // fail before writing
  if (Number.isNaN(input.runAt.getTime())) throw new Error('scheduleJob: runAt is not a date');
  const payload = JSON.stringify(input.payload ?? {});
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO timed_jobs (id, tenant_id, kind, key, payload, recurrence, run_at, max_attempts)
    VALUES (crm_uuid_v7(), crm_current_tenant(), ${input.kind}, ${input.key}, ${payload}::jsonb,
            ${input.recurrence ?? null}, ${input.runAt}, ${input.maxAttempts ?? 5})
    ON CONFLICT (tenant_id, kind, key) DO UPDATE SET
      payload = excluded.payload, recurrence = excluded.recurrence, run_at = excluded.run_at,
      max_attempts = excluded.max_attempts, state = 'scheduled', attempts = 0,
      locked_by = NULL, locked_until = NULL, updated_at = now()
    RETURNING id`;
  return { id: row!.id };
}

/** Withdraws a job (a cancelled invoice's reminder); true when there was one. */
export async function cancelJob(tx: Tx, input: { kind: string; key: string }): Promise<boolean> {
  const count = await tx.$executeRaw`
    DELETE FROM timed_jobs WHERE tenant_id = crm_current_tenant() AND kind = ${input.kind} AND key = ${input.key}`;
  return count > 0;
}

import type { TenantDeps } from '../shared/context.ts';
import { jobKindLabel } from './job-registry.ts';

/**
 * The tenant's timed jobs for the operations page: what each is, when it runs next, how the
 * last run went. Failed ones first (they need someone), then by next run.
 */
export async function listTimedJobs({ tx, actor }: TenantDeps) {
  const rows = await tx.timedJob.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
    take: 200,
  });
  const rank = (state: string) => (state === 'failed' ? 0 : state === 'scheduled' ? 1 : 2);
  return rows
    .map((j) => ({
      id: j.id,
      kind: j.kind,
      label: jobKindLabel(j.kind),
      key: j.key,
      state: j.state as 'scheduled' | 'done' | 'failed',
      recurrence: j.recurrence,
      /** When it runs next; null once a one-off is done or has given up. */
      nextRunAt: j.state === 'scheduled' ? j.runAt.toISOString() : null,
      running: j.lockedUntil !== null,
      lastOutcome: j.lastOutcome as 'succeeded' | 'failed' | null,
      lastRunAt: j.lastRunAt?.toISOString() ?? null,
      lastError: j.lastError,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
    }))
    .sort((a, b) => rank(a.state) - rank(b.state));
}

import { withSystem, type Db } from '@crm/db';

export interface JobBacklog {
  kind: string;
  /** Scheduled, due, and not run yet (not claimed, or claimed by a worker that is running it). */
  due: number;
  /** Age in seconds of the oldest due job (0: none due). */
  oldestDueSeconds: number;
  /** Given up (one-offs out of attempts) plus scheduled jobs whose last attempt failed. */
  failed: number;
}

/** Per kind, across tenants (withSystem: the worker's /metrics, never an API answer). */
export async function timedJobBacklogAcrossTenants(db: Db, now: Date): Promise<JobBacklog[]> {
  const rows = await withSystem(db, (tx) =>
    tx.$queryRaw<{ kind: string; due: number; oldest: Date | null; failed: number }[]>`
      SELECT kind,
             count(*) FILTER (WHERE state = 'scheduled' AND run_at <= ${now})::int AS due,
             min(run_at) FILTER (WHERE state = 'scheduled' AND run_at <= ${now}) AS oldest,
             count(*) FILTER (WHERE state = 'failed' OR (state = 'scheduled' AND last_outcome = 'failed'))::int AS failed
      FROM timed_jobs GROUP BY kind ORDER BY kind`,
  );
  return rows.map((r) => ({ kind: r.kind, due: r.due, failed: r.failed, oldestDueSeconds: r.oldest ? Math.max(0, (now.getTime() - r.oldest.getTime()) / 1000) : 0 }));
}

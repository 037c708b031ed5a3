import { useQuery } from '@tanstack/react-query';
import { t } from '../../i18n/fr.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

/** A recurrence rule of the timed jobs (packages/domain/src/jobs/recurrence.ts), in French. */
export function recurrenceLabel(rule: string | null): string {
  if (rule === null) return t.timedJobs.once;
  if (rule === 'hourly') return t.timedJobs.hourly;
  const daily = /^daily (\d\d:\d\d)$/.exec(rule);
  if (daily) return t.timedJobs.daily(daily[1]!);
  const monthly = /^monthly (\d{1,2}) (\d\d:\d\d)$/.exec(rule);
  if (monthly) return t.timedJobs.monthly(monthly[1]!, monthly[2]!);
  return rule;
}

/** Operations: the tenant's timed jobs, when each runs next and how its last run went. */
export function TimedJobsTable() {
  const trpc = useTRPC();
  const jobs = useQuery({ ...trpc.timedJobs.list.queryOptions(), refetchInterval: 5_000 });
  return (
    <>
      <h2>{t.timedJobs.title}</h2>
      <table className="table" data-testid="timed-jobs">
        <thead>
          <tr>
            <th>{t.timedJobs.job}</th><th>{t.timedJobs.key}</th><th>{t.timedJobs.recurrence}</th><th>{t.timedJobs.nextRun}</th>
            <th>{t.timedJobs.lastRun}</th><th>{t.timedJobs.lastOutcome}</th><th>{t.timedJobs.attempts}</th><th>{t.timedJobs.error}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.data?.length === 0 && <tr><td colSpan={8} className="muted">{t.timedJobs.none}</td></tr>}
          {jobs.data?.map((j) => (
            <tr key={j.id} data-testid={`timed-job-${j.kind}-${j.key}`}>
              <td title={j.kind}>{j.label}</td>
              <td><code>{j.key}</code></td>
              <td>{recurrenceLabel(j.recurrence)}</td>
              <td>
                {j.nextRunAt ? formatDateTime(j.nextRunAt) : <span className="badge">{j.state === 'failed' ? t.timedJobs.gaveUp : t.timedJobs.done}</span>}
                {j.running && <> <span className="badge badge--pending">{t.timedJobs.running}</span></>}
              </td>
              <td>{j.lastRunAt ? formatDateTime(j.lastRunAt) : t.timedJobs.never}</td>
              <td>
                {j.lastOutcome === 'succeeded' && <span className="badge badge--accepted">{t.timedJobs.succeeded}</span>}
                {j.lastOutcome === 'failed' && <span className="badge badge--overdue">{t.timedJobs.failed}</span>}
                {j.lastOutcome === null && '—'}
              </td>
              <td>{j.attempts} / {j.maxAttempts}</td>
              <td className="error-cell">{j.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

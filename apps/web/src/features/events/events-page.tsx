import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { TimedJobsTable } from './timed-jobs-table.tsx';

/** Operations: each consumer's lag, the dead letters (with replay), the timed jobs, the recent events. */
export function EventsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canReplay = useCan('events.replay');
  const live = { refetchInterval: 5_000 };
  const consumers = useQuery({ ...trpc.events.consumers.queryOptions(), ...live });
  const deadLetters = useQuery({ ...trpc.events.deadLetters.queryOptions(), ...live });
  const recent = useQuery({ ...trpc.events.recent.queryOptions(), ...live });
  const replay = useMutation(trpc.events.replay.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }));
  return (
    <section className="stack">
      <FormMessage error={messageOf(replay.error)} />
      <h2>{t.events.consumers}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.events.consumer}</th><th>{t.events.pending}</th><th>{t.events.oldest}</th><th>{t.events.deadLetters}</th></tr></thead>
        <tbody>
          {consumers.data?.map((c) => (
            <tr key={c.consumer}>
              <td>{c.consumer}</td>
              <td data-testid={`lag-${c.consumer}`}>{c.pending}</td>
              <td>{c.oldestPendingAt ? formatDateTime(c.oldestPendingAt) : '—'}</td>
              <td>{c.deadLetters}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <h2>{t.events.deadLetters}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.events.consumer}</th><th>{t.events.type}</th><th>{t.events.error}</th><th>{t.events.attempts}</th><th>{t.events.occurredAt}</th><th /></tr></thead>
        <tbody>
          {deadLetters.data?.length === 0 && <tr><td colSpan={6} className="muted">{t.events.none}</td></tr>}
          {deadLetters.data?.map((d) => (
            <tr key={d.id}>
              <td>{d.consumer}</td>
              <td>{d.eventType}</td>
              <td className="error-cell">{d.error}</td>
              <td>{d.attempts}</td>
              <td>{formatDateTime(d.failedAt)}</td>
              <td className="table__actions">
                {d.replayedAt ? <span className="badge">{t.events.replayed}</span> : canReplay && (
                  <button type="button" className="button button--ghost" disabled={replay.isPending}
                    onClick={() => replay.mutate({ deadLetterId: d.id })}>{t.events.replay}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <TimedJobsTable />
      <h2>{t.events.recent}</h2>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.events.type}</th><th>{t.events.occurredAt}</th><th>{t.events.publishedAt}</th><th>{t.events.handledBy}</th></tr></thead>
        <tbody>
          {recent.data?.map((e) => (
            <tr key={e.id}>
              <td><code>{e.type}</code></td>
              <td>{formatDateTime(e.occurredAt)}</td>
              <td>{e.publishedAt ? formatDateTime(e.publishedAt) : <span className="badge badge--pending">{t.events.notPublished}</span>}</td>
              <td>{e.expectedBy.map((c) => (
                <span key={c} className={e.handledBy.includes(c) ? 'badge badge--accepted' : 'badge badge--pending'}>{c}</span>
              ))}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}

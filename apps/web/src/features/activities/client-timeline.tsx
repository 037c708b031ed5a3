import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { ActivityForm, useRefreshActivities } from './activity-form.tsx';

type Entry = RouterOutputs['clients']['timeline']['items'][number];
type Kind = keyof typeof t.activities.kinds;
type Bucket = keyof typeof t.activities.buckets;

/** The client's activities and history in one chronology, newest first, with the form to add one. */
export function ClientTimeline({ clientId }: { clientId: string }) {
  const trpc = useTRPC();
  const canWrite = useCan('activities.write');
  const refresh = useRefreshActivities();
  const timeline = useInfiniteQuery(
    trpc.clients.timeline.infiniteQueryOptions({ clientId, limit: 30 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const complete = useMutation(trpc.activities.complete.mutationOptions({ onSuccess: refresh }));
  const reopen = useMutation(trpc.activities.reopen.mutationOptions({ onSuccess: refresh }));
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {canWrite && <ActivityForm clientId={clientId} title={t.activities.add} />}
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t.activities.timeline}</h2>
        <FormMessage error={messageOf(timeline.error ?? complete.error ?? reopen.error)} />
        {timeline.isSuccess && entries.length === 0 && <p className="muted">{t.activities.emptyTimeline}</p>}
        <ol className="timeline">
          {entries.map((entry) => (
            <li key={entry.id} className="timeline__item">
              <span className="timeline__when">{formatDateTime(entry.at)}</span>
              <div className="timeline__body">
                <strong><EntryHeading entry={entry} /></strong>
                {entry.detail && <span className="timeline__detail">{entry.detail}</span>}
                <span className="muted">
                  {[entry.dueDate && entry.status !== 'done' ? t.activities.due(formatDate(entry.dueDate)) : null, entry.actorName ? t.activities.by(entry.actorName) : null]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </div>
              {entry.kind === 'activity' && entry.status && entry.status !== 'undated' && entry.status !== 'later' && (
                <span className={`badge badge--${entry.status}`}>{t.activities.buckets[entry.status as Bucket]}</span>
              )}
              {canWrite && entry.kind === 'activity' && entry.status !== 'done' && (
                <button type="button" className="button button--ghost" onClick={() => complete.mutate({ activityId: entry.entityId })}>{t.activities.complete}</button>
              )}
              {/* Only to-dos reopen: a task, or something planned for a date (not a call recorded as made). */}
              {canWrite && entry.kind === 'activity' && entry.status === 'done' && (entry.type === 'task' || entry.dueDate) && (
                <button type="button" className="button button--ghost" onClick={() => reopen.mutate({ activityId: entry.entityId })}>{t.activities.reopen}</button>
              )}
            </li>
          ))}
        </ol>
        {timeline.hasNextPage && (
          <div className="actions">
            <button type="button" className="button button--ghost" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
              {t.activities.moreTimeline}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

function EntryHeading({ entry }: { entry: Entry }) {
  if (entry.kind !== 'activity') return <>{entry.title}</>;
  const kind = t.activities.kinds[entry.type as Kind] ?? entry.type;
  return <>{kind}{entry.label && entry.label !== kind ? ` · ${entry.label}` : ''} : {entry.title}</>;
}

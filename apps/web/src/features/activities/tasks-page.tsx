import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { ActivityForm, useRefreshActivities } from './activity-form.tsx';

type Task = RouterOutputs['activities']['myTasks']['open'][number];

/** "Mes tâches": my open to-dos, overdue first and marked so, to finish or reopen; a form to add one. */
export function TasksPage() {
  const trpc = useTRPC();
  const canWrite = useCan('activities.write');
  const refresh = useRefreshActivities();
  const tasks = useQuery(trpc.activities.myTasks.queryOptions({ includeRecentlyDone: true }));
  const complete = useMutation(trpc.activities.complete.mutationOptions({ onSuccess: refresh }));
  const reopen = useMutation(trpc.activities.reopen.mutationOptions({ onSuccess: refresh }));
  const data = tasks.data;
  return (
    <section className="stack">
      <h1>{t.activities.tasksTitle}</h1>
      {canWrite && <ActivityForm kinds={['task']} title={t.activities.addTask} />}
      <FormMessage error={messageOf(tasks.error ?? complete.error ?? reopen.error)} />
      <div className="card">
        {!data && !tasks.isError && <p>{t.app.loading}</p>}
        {data?.open.length === 0 && <p className="muted">{t.activities.noTasks}</p>}
        <ul className="task-list" aria-label={t.activities.tasksTitle}>
          {data?.open.map((task) => (
            <TaskItem key={task.id} task={task}>
              {canWrite && (
                <button type="button" className="button button--ghost" onClick={() => complete.mutate({ activityId: task.id })} disabled={complete.isPending}>
                  {t.activities.complete}
                </button>
              )}
            </TaskItem>
          ))}
        </ul>
        {data?.hasMore && <p className="muted">{t.activities.more}</p>}
      </div>
      {data && data.recentlyDone.length > 0 && (
        <div className="card">
          <h2>{t.activities.recentlyDone}</h2>
          <ul className="task-list" aria-label={t.activities.recentlyDone}>
            {data.recentlyDone.map((task) => (
              <TaskItem key={task.id} task={task}>
                {canWrite && (
                  <button type="button" className="button button--ghost" onClick={() => reopen.mutate({ activityId: task.id })} disabled={reopen.isPending}>
                    {t.activities.reopen}
                  </button>
                )}
              </TaskItem>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function TaskItem({ task, children }: { task: Task; children: ReactNode }) {
  return (
    <li className={`task-list__item task-list__item--${task.bucket}`}>
      <span className={`badge badge--${task.bucket}`}>{t.activities.buckets[task.bucket]}</span>
      <div className="task-list__body">
        <strong className="task-list__subject">{task.kind === 'task' ? task.subject : `${t.activities.kinds[task.kind]} : ${task.subject}`}</strong>
        <span className="muted">
          {task.doneAt ? t.activities.doneOn(formatDate(task.doneAt)) : task.dueDate ? t.activities.due(formatDate(task.dueDate)) : null}
          {task.clientId && task.clientName && <> · <Link to={`/clients/${task.clientId}`}>{task.clientName}</Link></>}
        </span>
        {task.body && <span className="timeline__detail">{task.body}</span>}
      </div>
      {children}
    </li>
  );
}

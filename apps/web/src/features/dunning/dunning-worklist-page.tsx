import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { DunningTabs } from './dunning-common.tsx';

/** Relances du jour: the back office's dunning work for today. */
export function DunningWorklistPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.dunning.worklist.queryOptions({}));
  const w = list.data;
  const client = (c: { id: string; displayName: string } | null, caseId: string | null) =>
    caseId ? <Link to={`/relances/${caseId}`}>{c?.displayName ?? t.dunning.none}</Link> : (c?.displayName ?? t.dunning.none);
  return (
    <section className="stack">
      <div className="page-header"><h1>{t.dunning.worklistTitle}</h1></div>
      <DunningTabs />
      <p className="muted">{t.dunning.worklistIntro}</p>
      <FormMessage error={messageOf(list.error)} />
      {w && w.tasks.length + w.dueSteps.length + w.attention.length + w.instalments.length === 0 && <p className="muted">{t.dunning.nothing}</p>}
      {w && w.tasks.length > 0 && (
        <><h2>{t.dunning.tasks}</h2><ul>{w.tasks.map((task) => <li key={task.activityId}>{task.subject} — {client(task.client, task.caseId)} {task.dueDate && <span className="muted">{t.dunning.on(formatDate(task.dueDate))}</span>}</li>)}</ul></>
      )}
      {w && w.dueSteps.length > 0 && (
        <><h2>{t.dunning.dueSteps}</h2><ul>{w.dueSteps.map((s) => <li key={s.caseId}>{client(s.client, s.caseId)} : {s.channelLabel} — {s.subject} {s.on && <span className="muted">{t.dunning.on(formatDate(s.on))}</span>}</li>)}</ul></>
      )}
      {w && w.attention.length > 0 && (
        <><h2>{t.dunning.attention}</h2><ul>{w.attention.map((a, i) => <li key={`${a.caseId}-${i}`}>{client(a.client, a.caseId)} : {a.title} <span className="badge">{t.dunning.stepStates[a.state as 'pending' | 'failed']}</span></li>)}</ul></>
      )}
      {w && w.instalments.length > 0 && (
        <><h2>{t.dunning.lateInstalments}</h2><ul>{w.instalments.map((i) => <li key={`${i.caseId}-${i.position}`}>{client(i.client, i.caseId)} : {formatEur(i.owedCents)} {i.dueOn && <span className="muted">{t.dunning.on(formatDate(i.dueOn))}</span>}</li>)}</ul></>
      )}
    </section>
  );
}

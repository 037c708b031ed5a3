import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { LoadMore } from '../payments/load-more.tsx';
import { DunningTabs } from './dunning-common.tsx';

type State = 'open' | 'closed' | 'all';

/** Relances : the cases with their last step done and their next step (channel, when). */
export function DunningCasesPage() {
  const trpc = useTRPC();
  const [state, setState] = useState<State>('open');
  const cases = useInfiniteQuery(trpc.dunning.list.infiniteQueryOptions({ state, limit: 30 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const rows = cases.data?.pages.flatMap((page) => page.items);
  return (
    <section className="stack">
      <div className="page-header"><h1>{t.dunning.title}</h1></div>
      <DunningTabs />
      <p className="muted">{t.dunning.intro}</p>
      <div className="filters">
        <SelectField label={t.dunning.state} name="state" value={state} onChange={(e) => setState(e.target.value as State)} options={Object.entries(t.dunning.states).map(([value, label]) => ({ value, label }))} />
      </div>
      <FormMessage error={messageOf(cases.error)} />
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.dunning.client}</th><th>{t.dunning.status}</th><th>{t.dunning.owed}</th><th>{t.dunning.lastStep}</th><th>{t.dunning.nextStep}</th></tr></thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={5} className="muted">{t.dunning.empty}</td></tr>}
          {rows?.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/relances/${c.id}`}>{c.client.displayName}</Link>
                <div className="muted">{t.dunning.purposes[c.purpose as 'recovery' | 'commercial']} · {t.dunning.audiences[c.audience as 'b2b' | 'b2c' | 'prospect']}</div>
              </td>
              <td><span className="badge">{c.statusLabel}</span></td>
              <td>{c.purpose === 'recovery' ? formatEur(c.owedCents) : t.dunning.none}</td>
              <td>{c.lastStep ? <>{c.lastStep.channelLabel} <span className="muted">{t.dunning.on(formatDate(c.lastStep.on))}</span></> : t.dunning.none}</td>
              <td>{c.nextStep ? <>{c.nextStep.channelLabel} <span className="muted">{c.nextStep.on ? t.dunning.on(formatDate(c.nextStep.on)) : ''}</span></> : t.dunning.none}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={cases} />
    </section>
  );
}

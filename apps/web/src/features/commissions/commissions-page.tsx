import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { lastMonth, LinesTable, monthLabel, saveBlob } from './commission-common.tsx';
import { PlansTab } from './plans-tab.tsx';

type Tab = 'statements' | 'lines' | 'plans';

/** Commissions: the statements (issue, payroll export), the lines, the plans with their simulator. What a member sees is PostgreSQL's rule. */
export function CommissionsPage() {
  const [tab, setTab] = useState<Tab>('statements');
  const c = t.commissions;
  return (
    <section className="stack">
      <div className="page-header"><h1>{c.title}</h1></div>
      <div className="tabs" role="tablist">
        {(Object.keys(c.tabs) as Tab[]).map((key) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} className={tab === key ? 'button button--primary' : 'button button--ghost'} onClick={() => setTab(key)}>{c.tabs[key]}</button>
        ))}
      </div>
      {tab === 'statements' && <StatementsTab />}
      {tab === 'lines' && <LinesTab />}
      {tab === 'plans' && <PlansTab />}
    </section>
  );
}

function StatementsTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = t.commissions;
  const canWrite = useCan('commissions.write');
  const [month, setMonth] = useState(lastMonth());
  const statements = useQuery(trpc.commissions.statements.queryOptions({}));
  const issue = useMutation(trpc.commissions.issueStatements.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.commissions.pathKey() }) }));
  const payroll = useMutation({
    mutationFn: async () => {
      const file = await queryClient.fetchQuery(trpc.commissions.payrollExport.queryOptions({ month }, { staleTime: 0 }));
      saveBlob(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }), file.fileName);
    },
  });
  const rows = statements.data ?? [];
  return (
    <div className="stack">
      {canWrite && (
        <div className="grid">
          <TextField label={c.month} name="month" type="month" value={month.slice(0, 7)} onChange={(e) => e.target.value && setMonth(`${e.target.value}-01`)} />
          <div className="form-actions">
            <button type="button" className="button button--primary" disabled={issue.isPending} onClick={() => issue.mutate({ month })}>{c.issue}</button>
            <button type="button" className="button button--ghost" disabled={payroll.isPending} onClick={() => payroll.mutate()}>{c.payroll}</button>
          </div>
        </div>
      )}
      <FormMessage error={messageOf(issue.error ?? payroll.error)} success={issue.data ? c.issued(issue.data.issued) : null} />
      <p className="muted">{c.immutable}</p>
      <div className="table-wrap"><table className="table table--stack">
        <thead><tr><th>{c.number}</th><th>{c.month}</th><th>{c.rep}</th><th>{c.opening}</th><th>{c.linesTotal}</th><th>{c.clawbacks}</th><th>{c.adjustments}</th><th>{c.net}</th><th>{c.carried}</th></tr></thead>
        <tbody>
          {statements.isError && <tr><td colSpan={9} className="field__error">{messageOf(statements.error)}</td></tr>}
          {statements.isSuccess && rows.length === 0 && <tr><td colSpan={9} className="muted">{c.noStatements}</td></tr>}
          {rows.map((s) => (
            <tr key={s.id}>
              <td><Link to={`/commissions/releves/${s.id}`}>{s.number}</Link></td>
              <td data-label={c.month}>{monthLabel(s.month)}</td>
              <td data-label={c.rep}><Link to={`/commissions/commerciaux/${s.salesRep.id}`}>{s.salesRep.name}</Link></td>
              <td data-label={c.opening}>{formatEur(s.openingBalanceCents)}</td>
              <td data-label={c.linesTotal}>{formatEur(s.linesCents)}</td>
              <td data-label={c.clawbacks}>{formatEur(s.clawbacksCents)}</td>
              <td data-label={c.adjustments}>{formatEur(s.adjustmentsCents)}</td>
              <td data-label={c.net}><strong>{formatEur(s.netPayableCents)}</strong></td>
              <td data-label={c.carried}>{formatEur(s.carriedForwardCents)}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </div>
  );
}

function LinesTab() {
  const trpc = useTRPC();
  const lines = useQuery(trpc.commissions.lines.queryOptions({}));
  return (
    <div className="stack">
      <FormMessage error={lines.isError ? messageOf(lines.error) : null} />
      {lines.isSuccess && <LinesTable lines={lines.data} showRep />}
    </div>
  );
}

import { parisDay } from '@crm/domain/browser';
import { useQuery } from '@tanstack/react-query';
import { t } from '../../i18n/fr.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan, useMe } from '../auth/session.tsx';

export function DashboardPage() {
  const trpc = useTRPC();
  const me = useMe().data;
  const canSeeInvitations = useCan('invitations.read');
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: Boolean(me?.organisation) });
  const invitations = useQuery({ ...trpc.invitations.list.queryOptions(), enabled: Boolean(me?.organisation) && canSeeInvitations });
  const canSeeKpis = useCan('dashboard.read');
  const range = lastDays(30);
  const kpis = useQuery({ ...trpc.dashboard.daily.queryOptions(range), enabled: Boolean(me?.organisation) && canSeeKpis });
  if (!me) return null;
  if (!me.organisation || !me.role) return <p className="notice">{t.dashboard.noOrganisation}</p>;
  return (
    <section>
      <h1>{t.dashboard.welcome(me.user.name)}</h1>
      <div className="stats">
        <div className="card stat"><span className="stat__label">{t.dashboard.organisation}</span><strong>{me.organisation.name}</strong></div>
        <div className="card stat"><span className="stat__label">{t.dashboard.yourRole}</span><strong data-testid="my-role">{t.roles[me.role]}</strong></div>
        <div className="card stat"><span className="stat__label">{t.dashboard.members}</span><strong>{members.data?.length ?? '…'}</strong></div>
        {canSeeInvitations && (
          <div className="card stat">
            <span className="stat__label">{t.dashboard.pendingInvitations}</span>
            <strong>{invitations.data ? invitations.data.filter((i) => i.status === 'pending').length : '…'}</strong>
          </div>
        )}
      </div>
      {kpis.data && (
        <>
          <h2 className="section-title">{t.kpi.title}</h2>
          <div className="stats">
            <div className="card stat"><span className="stat__label">{t.kpi.newClients}</span><strong>{kpis.data.totals.newClients}</strong></div>
            <div className="card stat"><span className="stat__label">{t.kpi.contractsSigned}</span><strong>{kpis.data.totals.contractsSigned}</strong></div>
            <div className="card stat"><span className="stat__label">{t.kpi.invoicesIssued}</span><strong>{kpis.data.totals.invoicesIssued} · {formatEur(kpis.data.totals.invoicedCents)}</strong></div>
            <div className="card stat"><span className="stat__label">{t.kpi.paymentsReceived}</span><strong>{kpis.data.totals.paymentsReceived} · {formatEur(kpis.data.totals.receivedCents)}</strong></div>
            <div className="card stat"><span className="stat__label">{t.kpi.paymentsRejected}</span><strong>{kpis.data.totals.paymentsRejected} · {formatEur(kpis.data.totals.rejectedCents)}</strong></div>
          </div>
        </>
      )}
    </section>
  );
}

/** The last `n` days in Paris, as the dates the dashboard takes. */
function lastDays(n: number) {
  const day = (d: Date) => parisDay(d);
  const today = new Date();
  return { from: day(new Date(today.getTime() - (n - 1) * 86_400_000)), to: day(today) };
}

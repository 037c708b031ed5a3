import { useQuery } from '@tanstack/react-query';
import { t } from '../../i18n/fr.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan, useMe } from '../auth/session.tsx';

export function DashboardPage() {
  const trpc = useTRPC();
  const me = useMe().data;
  const canSeeInvitations = useCan('invitations.read');
  const members = useQuery({ ...trpc.members.list.queryOptions(), enabled: Boolean(me?.organisation) });
  const invitations = useQuery({ ...trpc.invitations.list.queryOptions(), enabled: Boolean(me?.organisation) && canSeeInvitations });
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
    </section>
  );
}

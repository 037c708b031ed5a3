import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useMe, useOpenSession } from '../features/auth/session.tsx';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { PaymentsNav } from '../features/payments/payments-nav.tsx';
import { t } from '../i18n/fr.ts';
import { sessionToken } from '../lib/session-token.ts';
import { useTRPC } from '../trpc.ts';
import { PageErrorBoundary } from './page-error-boundary.tsx';

export function AppLayout() {
  const trpc = useTRPC();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const logout = useMutation(
    trpc.auth.logOut.mutationOptions({
      onSettled: () => {
        sessionToken.set(null);
        queryClient.clear();
        void navigate('/connexion');
      },
    }),
  );
  const openSession = useOpenSession();
  const switchOrganisation = useMutation(
    trpc.auth.switchOrganisation.mutationOptions({ onSuccess: openSession }),
  );
  const data = me.data;
  return (
    <div className="shell">
      <a className="skip-link" href="#contenu">{t.skipToContent}</a>
      <header className="topbar">
        <span className="topbar__brand">{t.app.name}</span>
        {data && data.organisations.length > 0 && (
          <label className="topbar__org">
            <span className="visually-hidden">{t.nav.switchOrganisation}</span>
            <select
              aria-label={t.nav.switchOrganisation}
              value={data.organisation?.id ?? ''}
              onChange={(e) => switchOrganisation.mutate({ organisationId: e.target.value })}
            >
              {data.organisations.map((o) => (
                <option key={o.id} value={o.id}>{o.name}</option>
              ))}
            </select>
          </label>
        )}
        <span className="topbar__spacer" />
        {data?.organisation && <NotificationBell key={data.organisation.id} />}
        {data && (
          <span className="topbar__user">
            <NavLink to="/mot-de-passe" title={t.titles.changePassword}>{data.user.name}</NavLink>
            {data.role && <span className="badge">{t.roles[data.role]}</span>}
          </span>
        )}
        <button className="button button--ghost" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
          {t.nav.logout}
        </button>
      </header>
      <nav className="sidebar" aria-label="Navigation">
        <NavLink to="/" end>{t.nav.dashboard}</NavLink>
        <NavLink to="/clients">{t.nav.clients}</NavLink>
        <NavLink to="/contrats">{t.contracts.nav}</NavLink>
        <PaymentsNav />
        <NavLink to="/taches">{t.activities.nav}</NavLink>
        <NavLink to="/agenda">{t.agenda.nav}</NavLink>
        <NavLink to="/commerciaux">{t.nav.salesReps}</NavLink>
        <NavLink to="/produits">{t.nav.products}</NavLink>
        <NavLink to="/parametres">{t.nav.settings}</NavLink>
      </nav>
      <main className="content" id="contenu" tabIndex={-1}>
        {me.isPending ? (
          <p>{t.app.loading}</p>
        ) : (
          // Pages are loaded when first opened: the bars stay while one arrives; a failed load
          // is shown here, and the next navigation tries again.
          <PageErrorBoundary key={location.pathname}>
            <Suspense fallback={<p>{t.app.loading}</p>}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        )}
      </main>
    </div>
  );
}

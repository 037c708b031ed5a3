import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useRef, useState, type MouseEvent } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useCan, useMe, useOpenSession } from '../features/auth/session.tsx';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { PaymentsNav } from '../features/payments/payments-nav.tsx';
import { t } from '../i18n/fr.ts';
import { sessionToken } from '../lib/session-token.ts';
import { useTRPC } from '../trpc.ts';
import { PageErrorBoundary } from './page-error-boundary.tsx';

export function AppLayout() {
  const canReadInvoices = useCan('invoices.read');
  const canReadCommissions = useCan('commissions.read');
  const trpc = useTRPC();
  const me = useMe();
  const canReadMails = useCan('mails.read');
  const canReadDunning = useCan('dunning.read');
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const logout = useMutation(
    trpc.auth.logOut.mutationOptions({
      onSettled: () => {
        sessionToken.replace(null);
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
  const menu = useMenu();
  return (
    <div className="shell">
      <a className="skip-link" href="#contenu">{t.skipToContent}</a>
      <header className="topbar">
        {/* Under the desktop breakpoint the navigation is a drawer this button opens (styles.css). */}
        <button ref={menu.button} type="button" className="button button--ghost menu-button" aria-expanded={menu.open} aria-controls="navigation"
          onClick={() => menu.setOpen(!menu.open)}>
          <span aria-hidden="true">☰</span> {t.nav.menu}
        </button>
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
        <button className="button button--ghost topbar__logout" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
          {t.nav.logout}
        </button>
      </header>
      {menu.open && <div className="nav-backdrop" aria-hidden="true" onClick={menu.close} />}
      <nav ref={menu.nav} id="navigation" className={menu.open ? 'sidebar sidebar--open' : 'sidebar'} aria-label="Navigation" onClick={menu.onNavClick}>
        <NavLink to="/" end>{t.nav.dashboard}</NavLink>
        <NavLink to="/clients">{t.nav.clients}</NavLink>
        <NavLink to="/contrats">{t.contracts.nav}</NavLink>
        {canReadInvoices && <NavLink to="/factures">{t.invoices.nav}</NavLink>}
        <PaymentsNav />
        {canReadDunning && <NavLink to="/relances">{t.dunning.nav}</NavLink>}
        <NavLink to="/taches">{t.activities.nav}</NavLink>
        <NavLink to="/agenda">{t.agenda.nav}</NavLink>
        {canReadMails && <NavLink to="/courriels">{t.mails.nav}</NavLink>}
        <NavLink to="/courriers-postaux">{t.letters.nav}</NavLink>
        <NavLink to="/commerciaux">{t.nav.salesReps}</NavLink>
        {canReadCommissions && <NavLink to="/commissions">{t.commissions.nav}</NavLink>}
        <NavLink to="/produits">{t.nav.products}</NavLink>
        <NavLink to="/parametres">{t.nav.settings}</NavLink>
        {/* Under the desktop width the top bar has no room for the account: it sits at the end of the menu. */}
        {data && (
          <div className="sidebar__account">
            <span>{data.user.name} {data.role && <span className="badge">{t.roles[data.role]}</span>}</span>
            <button className="button button--ghost" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>{t.nav.logout}</button>
          </div>
        )}
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

/**
 * The navigation drawer of narrow screens: opening it moves focus to its first link, Escape or a
 * click outside closes it and gives focus back to the menu button, following a link closes it.
 * On a desktop the button is hidden and the sidebar always shown, whatever `open` says.
 */
function useMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  useEffect(() => {
    if (!open) return;
    nav.current?.querySelector<HTMLElement>('a')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const onNavClick = (event: MouseEvent<HTMLElement>) => {
    if (open && (event.target as HTMLElement).closest('a')) setOpen(false);
  };
  return { open, setOpen, close, button, nav, onNavClick };
}

import { NavLink, Navigate, Route, Routes } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { useCan } from '../auth/session.tsx';
import { EventsPage } from '../events/events-page.tsx';
import { InvitationsPage } from '../invitations/invitations-page.tsx';
import { NotificationPreferences } from '../notifications/notification-preferences.tsx';
import { MembersPage } from '../members/members-page.tsx';
import { ReferenceDataPage } from './reference-data-page.tsx';
import { ListsPage } from './lists-page.tsx';
import { OrganisationSettings } from './organisation-settings.tsx';
import { InvoiceSettings } from '../invoices/invoice-settings.tsx';
import { MailAccountsPage, MailConnectReturn } from '../mail-accounts/mail-accounts-page.tsx';
import { MailTemplatesPage } from '../mail-accounts/mail-templates-page.tsx';

export function SettingsPage() {
  const canSeeInvitations = useCan('invitations.read');
  const canSeeEvents = useCan('events.read');
  const canSeeInvoices = useCan('invoices.read');
  const canConnectMail = useCan('mailAccounts.connect');
  return (
    <section>
      <h1>{t.settings.title}</h1>
      <nav className="tabs" aria-label={t.settings.title}>
        <NavLink to="/parametres/organisation">{t.settings.tabs.organisation}</NavLink>
        {canSeeInvoices && <NavLink to="/parametres/facturation">{t.settings.tabs.invoicing}</NavLink>}
        <NavLink to="/parametres/membres">{t.settings.tabs.members}</NavLink>
        {canSeeInvitations && <NavLink to="/parametres/invitations">{t.settings.tabs.invitations}</NavLink>}
        <NavLink to="/parametres/listes">{t.settings.tabs.lists}</NavLink>
        <NavLink to="/parametres/referentiel">{t.settings.tabs.referenceData}</NavLink>
        <NavLink to="/parametres/notifications">{t.settings.tabs.notifications}</NavLink>
        {canConnectMail && <NavLink to="/parametres/messagerie">{t.settings.tabs.mail}</NavLink>}
        <NavLink to="/parametres/modeles-courriels">{t.settings.tabs.mailTemplates}</NavLink>
        {canSeeEvents && <NavLink to="/parametres/evenements">{t.settings.tabs.events}</NavLink>}
      </nav>
      <Routes>
        <Route index element={<Navigate to="/parametres/organisation" replace />} />
        <Route path="organisation" element={<OrganisationSettings />} />
        <Route path="facturation" element={<InvoiceSettings />} />
        <Route path="membres" element={<MembersPage />} />
        <Route path="invitations" element={<InvitationsPage />} />
        <Route path="listes" element={<ListsPage />} />
        <Route path="referentiel" element={<ReferenceDataPage />} />
        <Route path="notifications" element={<NotificationPreferences />} />
        <Route path="messagerie" element={<MailAccountsPage />} />
        <Route path="messagerie/retour" element={<MailConnectReturn />} />
        <Route path="modeles-courriels" element={<MailTemplatesPage />} />
        <Route path="evenements" element={<EventsPage />} />
      </Routes>
    </section>
  );
}

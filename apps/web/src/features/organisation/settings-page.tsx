import { NavLink, Navigate, Route, Routes } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { useCan } from '../auth/session.tsx';
import { InvitationsPage } from '../invitations/invitations-page.tsx';
import { MembersPage } from '../members/members-page.tsx';
import { OrganisationSettings } from './organisation-settings.tsx';

export function SettingsPage() {
  const canSeeInvitations = useCan('invitations.read');
  return (
    <section>
      <h1>{t.settings.title}</h1>
      <nav className="tabs" aria-label={t.settings.title}>
        <NavLink to="/parametres/organisation">{t.settings.tabs.organisation}</NavLink>
        <NavLink to="/parametres/membres">{t.settings.tabs.members}</NavLink>
        {canSeeInvitations && <NavLink to="/parametres/invitations">{t.settings.tabs.invitations}</NavLink>}
      </nav>
      <Routes>
        <Route index element={<Navigate to="/parametres/organisation" replace />} />
        <Route path="organisation" element={<OrganisationSettings />} />
        <Route path="membres" element={<MembersPage />} />
        <Route path="invitations" element={<InvitationsPage />} />
      </Routes>
    </section>
  );
}

import { NavLink } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { useCan } from '../auth/session.tsx';

/** The payments pages in the sidebar, for the roles that may read payments. */
export function PaymentsNav() {
  if (!useCan('payments.read')) return null;
  return (
    <>
      <NavLink to="/prelevements">{t.payments.nav.batches}</NavLink>
      <NavLink to="/retours-bancaires">{t.payments.nav.returns}</NavLink>
      <NavLink to="/rejets">{t.payments.nav.rejects}</NavLink>
      <NavLink to="/paiements">{t.payments.nav.payments}</NavLink>
      <NavLink to="/mandats">{t.payments.nav.mandates}</NavLink>
    </>
  );
}

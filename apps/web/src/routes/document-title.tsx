import { useEffect } from 'react';
import { matchPath, useLocation } from 'react-router';
import { t } from '../i18n/fr.ts';

/** Each page's title in the browser tab and history ("Clients · CRM"), most specific path first. */
const TITLES: [pattern: string, title: string][] = [
  ['/connexion', t.titles.login],
  ['/inscription', t.titles.signup],
  ['/invitation/:token', t.titles.invitation],
  ['/verifier-email', t.titles.verifyEmail],
  ['/signature', t.titles.remoteSigning],
  ['/mot-de-passe-oublie', t.titles.forgotPassword],
  ['/reinitialiser-mot-de-passe', t.titles.resetPassword],
  ['/mot-de-passe', t.titles.changePassword],
  ['/courriers', t.titles.capturedMail],
  ['/clients/nouveau', t.titles.newClient],
  ['/clients/import', t.titles.clientImport],
  ['/clients/:clientId/modifier', t.titles.editClient],
  ['/clients/:clientId', t.titles.client],
  ['/clients', t.nav.clients],
  ['/contrats/nouveau', t.titles.newContract],
  ['/contrats/:contractId/modifier', t.titles.editContract],
  ['/contrats/:contractId/signature', t.titles.signContract],
  ['/contrats/:contractId', t.titles.contract],
  ['/contrats', t.titles.contracts],
  ['/factures/nouvelle', t.invoices.newInvoice],
  ['/factures/:invoiceId', t.titles.invoice],
  ['/factures', t.titles.invoices],
  ['/prelevements/:batchId', t.titles.batch],
  ['/prelevements', t.payments.nav.batches],
  ['/retours-bancaires', t.payments.nav.returns],
  ['/rejets', t.payments.nav.rejects],
  ['/paiements', t.payments.nav.payments],
  ['/mandats', t.payments.nav.mandates],
  ['/taches', t.titles.tasks],
  ['/agenda', t.titles.agenda],
  ['/produits', t.nav.products],
  ['/commerciaux', t.nav.salesReps],
  ['/courriels', t.mails.title],
  ['/parametres/*', t.nav.settings],
  ['/', t.nav.dashboard],
];

export function titleOf(pathname: string): string {
  const found = TITLES.find(([pattern]) => matchPath(pattern, pathname));
  return found ? `${found[1]} · ${t.app.name}` : t.app.name;
}

/** Keeps `document.title` on the page shown (screen readers announce it; history lists it). */
export function DocumentTitle() {
  const { pathname } = useLocation();
  useEffect(() => {
    document.title = titleOf(pathname);
  }, [pathname]);
  return null;
}

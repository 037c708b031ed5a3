import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from '../components/app-layout.tsx';
import { PageErrorBoundary } from '../components/page-error-boundary.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { useSession } from '../features/auth/session.tsx';
import { t } from '../i18n/fr.ts';
import { DocumentTitle } from './document-title.tsx';

// The first page a visitor sees (login) and the signed-in shell (AppLayout: top bar, navigation)
// are in the entry chunk; every other page is its own chunk, loaded when first opened, so the
// first page downloads only what it shows (bench/web-first-page.ts keeps count).
function page<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const clientPage = () => import('../features/clients/client-page.tsx');
const contractPage = () => import('../features/contracts/contract-page.tsx');
// The contract wizard bundles domain rules (schedule, IBAN check, zod): only it downloads them.
const wizard = () => import('../features/contracts/contract-wizard.tsx');
const SignupPage = page(() => import('../features/auth/signup-page.tsx'), 'SignupPage');
const AcceptInvitationPage = page(() => import('../features/auth/accept-invitation-page.tsx'), 'AcceptInvitationPage');
const VerifyEmailPage = page(() => import('../features/auth/verify-email-page.tsx'), 'VerifyEmailPage');
const ForgotPasswordPage = page(() => import('../features/auth/password-pages.tsx'), 'ForgotPasswordPage');
const ResetPasswordPage = page(() => import('../features/auth/password-pages.tsx'), 'ResetPasswordPage');
const ChangePasswordPage = page(() => import('../features/auth/password-pages.tsx'), 'ChangePasswordPage');
const CapturedMailPage = page(() => import('../features/auth/captured-mail.tsx'), 'CapturedMailPage');
const DashboardPage = page(() => import('../features/dashboard/dashboard-page.tsx'), 'DashboardPage');
const ClientsPage = page(() => import('../features/clients/clients-page.tsx'), 'ClientsPage');
const NewClientPage = page(clientPage, 'NewClientPage');
const EditClientPage = page(clientPage, 'EditClientPage');
const ClientPage = page(clientPage, 'ClientPage');
const ImportWizard = page(() => import('../features/clients/import-wizard.tsx'), 'ImportWizard');
const ContractsPage = page(() => import('../features/contracts/contracts-page.tsx'), 'ContractsPage');
const InvoicesPage = page(() => import('../features/invoices/invoices-page.tsx'), 'InvoicesPage');
const InvoicePage = page(() => import('../features/invoices/invoice-page.tsx'), 'InvoicePage');
const NewInvoicePage = page(() => import('../features/invoices/new-invoice-page.tsx'), 'NewInvoicePage');
const ContractPage = page(contractPage, 'ContractPage');
const ContractSignPage = page(contractPage, 'ContractSignPage');
const RemoteSigningPage = page(() => import('../features/contracts/remote-signing-page.tsx'), 'RemoteSigningPage');
const NewContractPage = page(wizard, 'NewContractPage');
const EditContractPage = page(wizard, 'EditContractPage');
const BatchesPage = page(() => import('../features/payments/batches-page.tsx'), 'BatchesPage');
const BatchPage = page(() => import('../features/payments/batch-page.tsx'), 'BatchPage');
const BankReturnsPage = page(() => import('../features/payments/bank-returns-page.tsx'), 'BankReturnsPage');
const RejectsPage = page(() => import('../features/payments/rejects-page.tsx'), 'RejectsPage');
const PaymentsPage = page(() => import('../features/payments/payments-page.tsx'), 'PaymentsPage');
const MandatesPage = page(() => import('../features/payments/mandates-page.tsx'), 'MandatesPage');
const TasksPage = page(() => import('../features/activities/tasks-page.tsx'), 'TasksPage');
const AgendaPage = page(() => import('../features/calendar/agenda-page.tsx'), 'AgendaPage');
const ProductsPage = page(() => import('../features/products/products-page.tsx'), 'ProductsPage');
const SalesRepsPage = page(() => import('../features/sales-reps/sales-reps-page.tsx'), 'SalesRepsPage');
const CommissionsPage = page(() => import('../features/commissions/commissions-page.tsx'), 'CommissionsPage');
const StatementPage = page(() => import('../features/commissions/statement-page.tsx'), 'StatementPage');
const RepCommissionsPage = page(() => import('../features/commissions/rep-commissions-page.tsx'), 'RepCommissionsPage');
const MailLogPage = page(() => import('../features/mails/mail-log-page.tsx'), 'MailLogPage');
const LettersPage = page(() => import('../features/letters/letters-page.tsx'), 'LettersPage');
const DunningCasesPage = page(() => import('../features/dunning/dunning-cases-page.tsx'), 'DunningCasesPage');
const DunningCasePage = page(() => import('../features/dunning/dunning-case-page.tsx'), 'DunningCasePage');
const DunningWorklistPage = page(() => import('../features/dunning/dunning-worklist-page.tsx'), 'DunningWorklistPage');
const DunningPlansPage = page(() => import('../features/dunning/dunning-plans-page.tsx'), 'DunningPlansPage');
const SettingsPage = page(() => import('../features/organisation/settings-page.tsx'), 'SettingsPage');

const splash = <p className="splash">{t.app.loading}</p>;

function RequireSession({ children }: { children: ReactNode }) {
  const { signedIn, restoring } = useSession();
  const location = useLocation();
  if (restoring) return splash;
  if (!signedIn) return <Navigate to="/connexion" replace state={{ from: location.pathname }} />;
  return children;
}

function GuestOnly({ children }: { children: ReactNode }) {
  const { signedIn, restoring } = useSession();
  if (restoring) return splash;
  return signedIn ? <Navigate to="/" replace /> : children;
}

export function AppRoutes() {
  return (
    <PageErrorBoundary>
      <DocumentTitle />
      <Suspense fallback={splash}>
        <Routes>
          <Route path="/connexion" element={<GuestOnly><LoginPage /></GuestOnly>} />
          <Route path="/inscription" element={<GuestOnly><SignupPage /></GuestOnly>} />
          <Route path="/invitation/:token" element={<AcceptInvitationPage />} />
          <Route path="/verifier-email" element={<VerifyEmailPage />} />
          <Route path="/signature" element={<RemoteSigningPage />} />
          <Route path="/mot-de-passe-oublie" element={<GuestOnly><ForgotPasswordPage /></GuestOnly>} />
          <Route path="/reinitialiser-mot-de-passe" element={<ResetPasswordPage />} />
          <Route path="/courriers" element={<CapturedMailPage />} />
          <Route element={<RequireSession><AppLayout /></RequireSession>}>
            <Route index element={<DashboardPage />} />
            <Route path="/mot-de-passe" element={<ChangePasswordPage />} />
            <Route path="/clients" element={<ClientsPage />} />
            <Route path="/clients/nouveau" element={<NewClientPage />} />
            <Route path="/clients/import" element={<ImportWizard />} />
            <Route path="/clients/:clientId" element={<ClientPage />} />
            <Route path="/clients/:clientId/modifier" element={<EditClientPage />} />
            <Route path="/factures" element={<InvoicesPage />} />
            <Route path="/factures/nouvelle" element={<NewInvoicePage />} />
            <Route path="/factures/:invoiceId" element={<InvoicePage />} />
            <Route path="/contrats" element={<ContractsPage />} />
            <Route path="/contrats/nouveau" element={<NewContractPage />} />
            <Route path="/contrats/:contractId" element={<ContractPage />} />
            <Route path="/contrats/:contractId/modifier" element={<EditContractPage />} />
            <Route path="/contrats/:contractId/signature" element={<ContractSignPage />} />
            <Route path="/prelevements" element={<BatchesPage />} />
            <Route path="/prelevements/:batchId" element={<BatchPage />} />
            <Route path="/retours-bancaires" element={<BankReturnsPage />} />
            <Route path="/rejets" element={<RejectsPage />} />
            <Route path="/paiements" element={<PaymentsPage />} />
            <Route path="/mandats" element={<MandatesPage />} />
            <Route path="/taches" element={<TasksPage />} />
            <Route path="/agenda" element={<AgendaPage />} />
            <Route path="/produits" element={<ProductsPage />} />
            <Route path="/commerciaux" element={<SalesRepsPage />} />
            <Route path="/commissions" element={<CommissionsPage />} />
            <Route path="/commissions/releves/:statementId" element={<StatementPage />} />
            <Route path="/commissions/commerciaux/:salesRepId" element={<RepCommissionsPage />} />
            <Route path="/courriels" element={<MailLogPage />} />
            <Route path="/courriers-postaux" element={<LettersPage />} />
            <Route path="/relances" element={<DunningCasesPage />} />
            <Route path="/relances/aujourdhui" element={<DunningWorklistPage />} />
            <Route path="/relances/plans" element={<DunningPlansPage />} />
            <Route path="/relances/:caseId" element={<DunningCasePage />} />
            <Route path="/parametres/*" element={<SettingsPage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </PageErrorBoundary>
  );
}

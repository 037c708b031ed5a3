import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from '../components/app-layout.tsx';
import { AcceptInvitationPage } from '../features/auth/accept-invitation-page.tsx';
import { CapturedMailPage } from '../features/auth/captured-mail.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { useSession } from '../features/auth/session.tsx';
import { SignupPage } from '../features/auth/signup-page.tsx';
import { VerifyEmailPage } from '../features/auth/verify-email-page.tsx';
import { AgendaPage } from '../features/calendar/agenda-page.tsx';
import { ClientPage, EditClientPage, NewClientPage } from '../features/clients/client-page.tsx';
import { ClientsPage } from '../features/clients/clients-page.tsx';
import { ContractPage, ContractSignPage } from '../features/contracts/contract-page.tsx';
import { ContractsPage } from '../features/contracts/contracts-page.tsx';
import { ImportWizard } from '../features/clients/import-wizard.tsx';
import { TasksPage } from '../features/activities/tasks-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { SettingsPage } from '../features/organisation/settings-page.tsx';
import { ProductsPage } from '../features/products/products-page.tsx';
import { SalesRepsPage } from '../features/sales-reps/sales-reps-page.tsx';
import { BankReturnsPage } from '../features/payments/bank-returns-page.tsx';
import { BatchesPage } from '../features/payments/batches-page.tsx';
import { MandatesPage } from '../features/payments/mandates-page.tsx';
import { PaymentsPage } from '../features/payments/payments-page.tsx';
import { t } from '../i18n/fr.ts';

// The contract wizard bundles domain rules (schedule, IBAN check): its own chunk, loaded when opened.
const wizard = () => import('../features/contracts/contract-wizard.tsx');
const NewContractPage = lazy(() => wizard().then((m) => ({ default: m.NewContractPage })));
const EditContractPage = lazy(() => wizard().then((m) => ({ default: m.EditContractPage })));
const loading = <p>{t.app.loading}</p>;

function RequireSession({ children }: { children: ReactNode }) {
  const { signedIn, restoring } = useSession();
  const location = useLocation();
  if (restoring) return <p className="splash">{t.app.loading}</p>;
  if (!signedIn) return <Navigate to="/connexion" replace state={{ from: location.pathname }} />;
  return children;
}

function GuestOnly({ children }: { children: ReactNode }) {
  const { signedIn, restoring } = useSession();
  if (restoring) return <p className="splash">{t.app.loading}</p>;
  return signedIn ? <Navigate to="/" replace /> : children;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/connexion" element={<GuestOnly><LoginPage /></GuestOnly>} />
      <Route path="/inscription" element={<GuestOnly><SignupPage /></GuestOnly>} />
      <Route path="/invitation/:token" element={<AcceptInvitationPage />} />
      <Route path="/verifier-email" element={<VerifyEmailPage />} />
      <Route path="/courriers" element={<CapturedMailPage />} />
      <Route element={<RequireSession><AppLayout /></RequireSession>}>
        <Route index element={<DashboardPage />} />
        <Route path="/clients" element={<ClientsPage />} />
        <Route path="/clients/nouveau" element={<NewClientPage />} />
        <Route path="/clients/import" element={<ImportWizard />} />
        <Route path="/clients/:clientId" element={<ClientPage />} />
        <Route path="/clients/:clientId/modifier" element={<EditClientPage />} />
        <Route path="/contrats" element={<ContractsPage />} />
        <Route path="/contrats/nouveau" element={<Suspense fallback={loading}><NewContractPage /></Suspense>} />
        <Route path="/contrats/:contractId" element={<ContractPage />} />
        <Route path="/contrats/:contractId/modifier" element={<Suspense fallback={loading}><EditContractPage /></Suspense>} />
        <Route path="/contrats/:contractId/signature" element={<ContractSignPage />} />
        <Route path="/prelevements" element={<BatchesPage />} />
        <Route path="/retours-bancaires" element={<BankReturnsPage />} />
        <Route path="/paiements" element={<PaymentsPage />} />
        <Route path="/mandats" element={<MandatesPage />} />
        <Route path="/taches" element={<TasksPage />} />
        <Route path="/agenda" element={<AgendaPage />} />
        <Route path="/produits" element={<ProductsPage />} />
        <Route path="/commerciaux" element={<SalesRepsPage />} />
        <Route path="/parametres/*" element={<SettingsPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

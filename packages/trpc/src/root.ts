import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { t } from './init.ts';
import { router } from './procedures.ts';
import { activitiesRouter } from './routers/activities.router.ts';
import { authRouter } from './routers/auth.router.ts';
import { appointmentsRouter } from './routers/appointments.router.ts';
import { calendarRouter } from './routers/calendar.router.ts';
import { capturedMailsRouter } from './routers/captured-mails.router.ts';
import { clientsRouter } from './routers/clients.router.ts';
import { clientImportsRouter } from './routers/client-imports.router.ts';
import { clientContactsRouter } from './routers/client-contacts.router.ts';
import { commissionsRouter } from './routers/commissions.router.ts';
import { contractsRouter } from './routers/contracts.router.ts';
import { invoicesRouter } from './routers/invoices.router.ts';
import { invoicingRouter } from './routers/invoicing.router.ts';
import { dashboardRouter } from './routers/dashboard.router.ts';
import { dunningRouter } from './routers/dunning.router.ts';
import { documentsRouter } from './routers/documents.router.ts';
import { eventsRouter } from './routers/events.router.ts';
import { notificationsRouter } from './routers/notifications.router.ts';
import { healthRouter } from './routers/health.router.ts';
import { invitationsRouter } from './routers/invitations.router.ts';
import { listsRouter } from './routers/lists.router.ts';
import { membersRouter } from './routers/members.router.ts';
import { organisationsRouter } from './routers/organisations.router.ts';
import { productsRouter } from './routers/products.router.ts';
import { referentielRouter } from './routers/referentiel.router.ts';
import { salesRepsRouter } from './routers/sales-reps.router.ts';
import { paymentsRouter } from './routers/payments.router.ts';
import { mandatesRouter } from './routers/mandates.router.ts';
import { batchesRouter } from './routers/batches.router.ts';
import { timedJobsRouter } from './routers/timed-jobs.router.ts';
import { mailsRouter } from './routers/mails.router.ts';
import { retriesRouter } from './routers/retries.router.ts';
import { lettersRouter } from './routers/letters.router.ts';
import { signingRouter } from './routers/signing.router.ts';
import { mailAccountsRouter } from './routers/mail-accounts.router.ts';
import { mailTemplatesRouter } from './routers/mail-templates.router.ts';

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  organisations: organisationsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  referentiel: referentielRouter,
  notifications: notificationsRouter,
  dashboard: dashboardRouter,
  events: eventsRouter,
  clients: clientsRouter,
  activities: activitiesRouter,
  clientImports: clientImportsRouter,
  clientContacts: clientContactsRouter,
  calendar: calendarRouter,
  appointments: appointmentsRouter,
  products: productsRouter,
  lists: listsRouter,
  salesReps: salesRepsRouter,
  payments: paymentsRouter,
  mandates: mandatesRouter,
  batches: batchesRouter,
  retries: retriesRouter,
  contracts: contractsRouter,
  invoices: invoicesRouter,
  commissions: commissionsRouter,
  invoicing: invoicingRouter,
  dunning: dunningRouter,
  documents: documentsRouter,
  capturedMails: capturedMailsRouter,
  mails: mailsRouter,
  letters: lettersRouter,
  signing: signingRouter,
  mailAccounts: mailAccountsRouter,
  mailTemplates: mailTemplatesRouter,
  timedJobs: timedJobsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in process, through every middleware (tests, scripts). */
export const createCaller = t.createCallerFactory(appRouter);

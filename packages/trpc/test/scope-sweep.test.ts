import type { AnyProcedure } from '@trpc/server';
import { can, type Permission } from '@crm/domain';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../src/index.ts';
import { testServices } from './harness.ts';
import { isHidden, markersHiddenFrom, scopeOrganisation, SWEPT_ROLES, type ScopeFixture, type Target } from './scope-fixture.ts';

/**
 * The scope sweep, beside the isolation sweep: inside ONE organisation, every role (owner, admin,
 * a manager with a team, a sales member, an accountant, a viewer) calls every procedure with the
 * records outside its scope (another rep's client and all that hangs on it, a colleague's private
 * task, a batch of every debtor, someone else's import...). An answer is NOT_FOUND or FORBIDDEN,
 * or, where the table says so, a list without them or an appointment shown as busy time; never a
 * 500, and no answer to a role ever contains the marker of a record out of its scope. A write the
 * role lacks the permission for is FORBIDDEN, tried for real (the viewer's and the accountant's
 * refusals are behaviour, not only the access snapshot). Writes a role may make on records in its
 * scope are not made (they would change the fixture); their rules have their own tests.
 * A new procedure fails the sweep until it has a line here. The file routes have theirs in
 * apps/api/test/scope-sweep-routes.test.ts.
 */

interface Case {
  /** What the input names (see TARGETS): decides for which roles the call is out of scope. */
  target: Target;
  input?: (f: ScopeFixture) => unknown;
  /**
   * How an out-of-scope call may answer besides NOT_FOUND / FORBIDDEN: `filtered` (a list, without
   * the hidden records), `masked` (an appointment shown as busy time only).
   */
  answer?: 'filtered' | 'masked';
}

const on = (target: Target, input?: (f: ScopeFixture) => unknown, answer?: Case['answer']): Case => ({ target, ...(input ? { input } : {}), ...(answer ? { answer } : {}) });
const list = (input?: (f: ScopeFixture) => unknown): Case => on('none', input);
const x = {
  client: (f: ScopeFixture) => ({ clientId: f.client.id }),
  contract: (f: ScopeFixture) => ({ contractId: f.contract.id }),
  mandate: (f: ScopeFixture) => ({ mandateId: f.mandate.id }),
  batch: (f: ScopeFixture) => ({ batchId: f.batch.id }),
  activity: (f: ScopeFixture) => ({ activityId: f.activity.id }),
  privateTask: (f: ScopeFixture) => ({ activityId: f.privateTask.id }),
  appointment: (f: ScopeFixture) => ({ appointmentId: f.appointment.id }),
  privateAppointment: (f: ScopeFixture) => ({ appointmentId: f.privateAppointment.id }),
  clientImport: (f: ScopeFixture) => ({ importId: f.clientImport.id }),
  contact: (f: ScopeFixture) => ({ contactId: f.contact.id }),
  invoice: (f: ScopeFixture) => ({ invoiceId: f.invoice.id }),
};
const week = () => {
  const from = new Date().toISOString().slice(0, 10);
  return { from, to: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10) };
};
const slot = { startsAt: '2027-01-04T10:00', endsAt: '2027-01-04T11:00' };

/** Every procedure of the app router, with what it is tried on. One line per procedure. */
const SWEEP: Record<string, Case[]> = {
  'activities.complete': [on('client', x.activity), on('privateTask', x.privateTask)],
  'activities.create': [on('client', (f) => ({ kind: 'note', subject: 'Note', clientId: f.client.id }))],
  'activities.delete': [on('client', x.activity), on('privateTask', x.privateTask)],
  'activities.listForClient': [on('client', x.client)],
  'activities.myTasks': [list(() => ({ includeRecentlyDone: true }))],
  'activities.reopen': [on('client', x.activity), on('privateTask', x.privateTask)],
  'activities.update': [on('client', (f) => ({ ...x.activity(f), subject: 'Changé' })), on('privateTask', (f) => ({ ...x.privateTask(f), subject: 'Changé' }))],
  'appointments.cancel': [on('client', x.appointment), on('privateAppointment', x.privateAppointment)],
  'appointments.create': [on('client', (f) => ({ title: 'Nouveau', ...slot, clientId: f.client.id }))],
  'appointments.get': [on('client', x.appointment, 'masked'), on('privateAppointment', x.privateAppointment, 'masked')],
  'appointments.list': [list(() => ({ ...week(), people: 'all', includeCancelled: true })), list((f) => ({ ...week(), people: [f.outsider.userId] }))],
  'appointments.myFeed': [list()],
  'appointments.rotateFeed': [list()],
  'appointments.update': [on('client', (f) => ({ ...x.appointment(f), title: 'Changé' })), on('privateAppointment', (f) => ({ ...x.privateAppointment(f), notes: 'x' }))],
  'auth.logIn': [list(() => ({}))],
  'auth.logOut': [list()],
  'auth.me': [list()],
  'auth.refresh': [list()],
  'auth.signUp': [list(() => ({}))],
  'auth.verifyEmail': [list(() => ({ token: 'x'.repeat(40) }))],
  'auth.requestPasswordReset': [list(() => ({}))],
  'auth.resetPassword': [list(() => ({ token: 'x'.repeat(40) }))],
  'auth.changePassword': [list(() => ({ currentPassword: 'not the password', newPassword: 'a long enough password' }))],
  'auth.confirmPassword': [list(() => ({ password: 'not the password' }))],
  'auth.switchOrganisation': [list((f) => ({ organisationId: f.tenantId }))],
  'batches.build': [on('organisation', () => ({ collectionDate: '2027-01-05' }))],
  'batches.cancel': [on('organisation', x.batch)],
  'batches.get': [on('organisation', x.batch)],
  'batches.list': [on('organisation', () => ({}), 'filtered')],
  'batches.markSent': [on('organisation', x.batch)],
  'batches.preview': [on('organisation', () => ({ collectionDate: '2027-01-05' }))],
  'batches.removeItem': [on('organisation', (f) => ({ ...x.batch(f), scheduleItemId: f.plannedItem.id }))],
  'calendar.holidays': [list(() => ({ year: 2026 }))],
  'calendar.nextCollectionDate': [list(() => ({}))],
  // The development mail catcher holds no tenant's data: sign-up and reset links only.
  'capturedMails.enabled': [list()],
  'capturedMails.list': [list(() => ({}))],
  'clientContacts.add': [on('client', (f) => ({ ...x.client(f), lastName: 'Nouveau' }))],
  'clientContacts.list': [on('client', x.client)],
  'clientContacts.remove': [on('client', x.contact)],
  'clientContacts.update': [on('client', (f) => ({ ...x.contact(f), role: 'Changé' }))],
  'clientImports.dryRun': [on('clientImport', (f) => ({ ...x.clientImport(f), mapping: ['lastName', 'email'], duplicatePolicy: 'update' }))],
  'clientImports.get': [on('clientImport', x.clientImport)],
  'clientImports.list': [on('clientImport', () => ({}), 'filtered')],
  'clientImports.start': [on('clientImport', x.clientImport)],
  'clients.anonymise': [on('client', (f) => ({ ...x.client(f), confirm: true }))],
  'clients.archive': [on('client', x.client)],
  // Giving a new client to a rep outside one's scope.
  'clients.create': [on('client', (f) => ({ kind: 'company', companyName: 'Nouveau', salesRepId: f.reps.other.id }))],
  'clients.exportData': [on('client', x.client)],
  'clients.get': [on('client', x.client)],
  'clients.list': [list(() => ({})), list((f) => ({ salesRep: f.reps.other.id })), list(() => ({ search: 'zxq' }))],
  'clients.merge': [on('client', (f) => ({ sourceClientId: f.client.id, targetClientId: f.teamClient.id })), on('client', (f) => ({ sourceClientId: f.teamClient.id, targetClientId: f.client.id }))],
  'clients.reassign': [on('client', (f) => ({ clientIds: [f.client.id], toSalesRepId: f.reps.rep.id })), on('client', (f) => ({ fromSalesRepId: f.reps.other.id, toSalesRepId: f.reps.rep.id })), on('client', (f) => ({ clientIds: [f.teamClient.id], toSalesRepId: f.reps.other.id }))],
  'clients.restore': [on('client', x.client)],
  'clients.timeline': [on('client', x.client), list((f) => ({ clientId: f.teamClient.id }))],
  'clients.update': [on('client', (f) => ({ ...x.client(f), notes: 'Changé' })), on('client', (f) => ({ clientId: f.teamClient.id, salesRepId: f.reps.other.id }))],
  // A rep's pay: another rep's lines and statements are out of a sales member's and a team manager's scope.
  'commissions.addAdjustment': [on('client', (f) => ({ salesRepId: f.reps.other.id, amountCents: 100, reason: 'Ajustement' }))],
  'commissions.addPlanVersion': [list((f) => ({ planId: f.commissionPlan.id, effectiveFrom: '2030-01-01', rules: {} }))],
  'commissions.assignPlan': [list((f) => ({ planId: f.commissionPlan.id, salesRepId: f.reps.other.id }))],
  'commissions.createPlan': [list(() => ({ name: 'Nouveau plan', effectiveFrom: '2027-01-01', rules: {} }))],
  'commissions.issueStatements': [list(() => ({ month: '2026-02-01' }))],
  'commissions.lines': [on('client', (f) => ({ salesRepId: f.reps.other.id }), 'filtered'), list(() => ({}))],
  'commissions.payrollExport': [list(() => ({ month: '2026-01-01' }))],
  'commissions.plans': [list()],
  'commissions.repSummary': [on('client', (f) => ({ salesRepId: f.reps.other.id }))],
  'commissions.simulate': [list((f) => ({ month: '2027-01-01', planId: f.commissionPlan.id, contracts: [] }))],
  'commissions.statement': [on('client', (f) => ({ statementId: f.commissionStatement.id }))],
  'commissions.statements': [on('client', (f) => ({ salesRepId: f.reps.other.id }), 'filtered'), list(() => ({}))],
  'commissions.updateRep': [on('client', (f) => ({ salesRepId: f.reps.other.id, commissionStatus: 'agent' }))],
  'contracts.activate': [on('client', x.contract)],
  'contracts.cancel': [on('client', (f) => ({ ...x.contract(f), reason: 'Annulé' }))],
  'contracts.create': [on('client', (f) => ({ clientId: f.client.id, lines: [{ productId: f.product.id, quantity: 1 }], startDate: '2027-03-01', durationMonths: 12, paymentMethod: 'transfer' }))],
  'contracts.get': [on('client', x.contract)],
  'contracts.list': [on('client', x.client), list(() => ({})), list((f) => ({ salesRepId: f.reps.other.id }))],
  'contracts.resendSigningLink': [on('client', x.contract)],
  'contracts.resume': [on('client', x.contract)],
  'contracts.send': [on('client', x.contract)],
  'contracts.sign': [on('client', (f) => ({ ...x.contract(f), signerName: 'Débiteur ZXQ', consent: true }))],
  'contracts.suspend': [on('client', x.contract)],
  'contracts.terminate': [on('client', (f) => ({ ...x.contract(f), endDate: '2026-12-31' }))],
  'contracts.update': [on('client', (f) => ({ ...x.contract(f), notes: 'Changé' }))],
  'contracts.withdraw': [on('client', x.contract)],
  'dashboard.daily': [list(() => ({ from: '2026-01-01', to: '2026-12-31' }))],
  'documents.delete': [on('client', (f) => ({ documentId: f.document.id }))],
  'documents.list': [on('client', x.client), on('client', x.contract)],
  'events.consumers': [list()],
  'events.deadLetters': [list()],
  'events.recent': [list(() => ({}))],
  'events.replay': [on('none', (f) => ({ deadLetterId: f.deadLetter.id }))],
  'health.ping': [list()],
  'invitations.accept': [list(() => ({}))],
  'invitations.create': [list(() => ({ email: 'nouveau@example.test', role: 'viewer' }))],
  'invitations.list': [list()],
  'invitations.preview': [list(() => ({ token: 'x' }))],
  'invitations.revoke': [list((f) => ({ invitationId: f.invitation.id }))],
  'invoices.createCreditNote': [on('client', (f) => ({ ...x.invoice(f), reason: 'Avoir' }))],
  'invoices.createDraft': [on('client', (f) => ({ ...x.client(f), lines: [{ label: 'Frais', quantity: 1, unitPriceCents: 100, vatRateBasisPoints: 2_000 }] }))],
  'invoices.deleteDraft': [on('client', x.invoice)],
  'invoices.draftFromSchedule': [list(() => ({ until: '2026-01-31' }))],
  'invoices.get': [on('client', x.invoice)],
  'invoices.issue': [on('client', x.invoice)],
  'invoices.list': [on('client', x.client), list(() => ({})), list(() => ({ series: 'b2c', status: 'draft' }))],
  'invoices.send': [on('client', x.invoice)],
  'invoices.settings': [list()],
  'invoices.updateDraft': [on('client', (f) => ({ ...x.invoice(f), purchaseOrder: 'Changé' }))],
  'invoices.updateSettings': [list(() => ({ invoiceNoticeDays: 10 }))],
  'invoicing.accountingJournal': [list(() => ({ from: '2026-01-01', to: '2026-12-31' }))],
  'invoicing.auditTrail': [list(() => ({ from: '2026-01-01', to: '2026-12-31' }))],
  'invoicing.eReporting': [list(() => ({ from: '2026-01-01', to: '2026-12-31' }))],
  'invoicing.refreshStatuses': [on('client', x.invoice)],
  'invoicing.submit': [on('client', x.invoice)],
  'invoicing.transmission': [on('client', x.invoice)],
  'letters.get': [on('client', (f) => ({ letterId: f.letter.id }))],
  'letters.list': [on('client', x.client), list(() => ({}))],
  'letters.send': [on('client', (f) => ({ documentId: f.document.id, service: 'registered_with_ack', requestId: '01900000-0000-7000-8000-0000000000aa' }))],
  'lists.add': [list(() => ({ kind: 'client_source', label: 'Salon' }))],
  'lists.items': [list(() => ({ kind: 'client_source' }))],
  'lists.update': [list((f) => ({ itemId: f.listItem.id, label: 'Changé' }))],
  'mandates.amend': [on('client', (f) => ({ ...x.mandate(f), debtorName: 'Changé' }))],
  'mandates.get': [on('client', x.mandate)],
  'mandates.list': [on('client', x.client), list(() => ({}))],
  'mandates.revoke': [on('client', x.mandate)],
  'dunning.agreePaymentPlan': [on('organisation', () => ({ caseId: '01900000-0000-7000-8000-000000000000', instalments: [{ dueOn: '2027-01-05', amountCents: 500 }, { dueOn: '2027-02-05', amountCents: 500 }] }))],
  'dunning.get': [on('organisation', () => ({ caseId: '01900000-0000-7000-8000-000000000000' }))],
  'dunning.list': [on('organisation', () => ({})), on('client', (f) => ({ clientId: f.client.id }))],
  'dunning.pause': [on('organisation', () => ({ caseId: '01900000-0000-7000-8000-000000000000', note: 'Litige' }))],
  'dunning.plans': [on('organisation')],
  'dunning.resume': [on('organisation', () => ({ caseId: '01900000-0000-7000-8000-000000000000' }))],
  'dunning.updatePlan': [on('organisation', () => ({ audience: 'b2c', name: 'Plan', active: true, steps: [{ delayDays: 1, delayFrom: 'opened', channel: 'email', subject: 'Rappel', template: 'Bonjour' }] }))],
  'dunning.worklist': [on('organisation', () => ({}))],
  'dunning.writeOff': [on('organisation', () => ({ caseId: '01900000-0000-7000-8000-000000000000', reason: 'Perte' }))],
  'members.changeRole': [list((f) => ({ memberId: f.outsider.memberId, role: 'viewer' }))],
  'members.list': [list()],
  'members.remove': [list((f) => ({ memberId: f.outsider.memberId }))],
  // A member's own mail accounts: nothing of anyone's scope; the sender is the organisation's.
  'mailAccounts.completeConnection': [list(() => ({ code: 'code', state: 's'.repeat(43) }))],
  'mailAccounts.connectSmtp': [list(() => ({ email: 'compta@example.test', host: 'smtp.example.test', port: 587, secure: false, username: 'compta', password: 'secret' }))],
  'mailAccounts.disconnect': [list(() => ({ connectionId: '01900000-0000-7000-8000-000000000000' }))],
  'mailAccounts.list': [list()],
  'mailAccounts.setSender': [list(() => ({ connectionId: null }))],
  'mailAccounts.startConnection': [list(() => ({ provider: 'google' }))],
  'mailTemplates.list': [list()],
  'mailTemplates.preview': [on('client', (f) => ({ key: 'client.welcome', subject: 'Objet', body: '{{client.nom}}', clientId: f.client.id }))],
  'mailTemplates.reset': [list(() => ({ key: 'client.welcome' }))],
  'mailTemplates.update': [list(() => ({ key: 'client.welcome', subject: 'Objet', body: 'Texte' }))],
  'mails.list': [on('organisation', () => ({}))],
  'mails.resend': [on('organisation', () => ({ mailId: '01900000-0000-7000-8000-000000000000' }))],
  'notifications.list': [list(() => ({}))],
  'notifications.markAllRead': [list()],
  'notifications.markRead': [on('notification', (f) => ({ notificationId: f.notification.id }))],
  'notifications.onNotification': [list(() => ({}))],
  'notifications.preferences': [list()],
  'notifications.setPreference': [list(() => ({ type: 'member.joined', inApp: false }))],
  'notifications.streamTicket': [list()],
  'notifications.unreadCount': [list()],
  'organisations.get': [list()],
  'organisations.update': [list(() => ({ legalName: 'Changé SAS' }))],
  'payments.importReturns': [list(() => ({ fileName: 'retours.csv', contentBase64: Buffer.from('end_to_end_id;status\nE2E-X;accepted\n').toString('base64') }))],
  'payments.items': [list(() => ({})), list(() => ({ status: 'planned' })), on('client', x.client)],
  'payments.list': [on('client', x.client), on('client', x.contract), list(() => ({}))],
  'payments.recordManual': [on('client', (f) => ({ scheduleItemId: f.plannedItem.id, method: 'cheque', receivedOn: '2026-03-05' }))],
  'payments.returnFile': [on('organisation', (f) => ({ returnFileId: f.returnFile.id }))],
  'payments.returnFiles': [on('organisation', () => ({}), 'filtered')],
  'payments.schedule': [on('client', x.contract)],
  'payments.settleUnanswered': [list()],
  'payments.unanswered': [list()],
  'products.changePrice': [list((f) => ({ productId: f.product.id, priceCents: 1, effectiveFrom: '2027-01-01' }))],
  'products.create': [list(() => ({ code: 'NEW', name: 'Nouveau', priceCents: 1, vatRateCode: 'NORMAL', billingFrequency: 'monthly' }))],
  'products.get': [list((f) => ({ productId: f.product.id }))],
  'products.list': [list(() => ({}))],
  'products.update': [list((f) => ({ productId: f.product.id, name: 'Changé' }))],
  'referentiel.civilities': [list()],
  'referentiel.countries': [list()],
  'referentiel.legalForms': [list()],
  'referentiel.sepaReturnReasons': [list()],
  'referentiel.vatRates': [list()],
  // A team manager changes their team's reps only, and never moves a rep into or out of it.
  'retries.get': [on('client', (f) => ({ paymentId: f.rejection.id }))],
  'retries.list': [list(() => ({})), list(() => ({ view: 'open' }))],
  'retries.representNow': [on('client', (f) => ({ paymentId: f.rejection.id }))],
  'retries.requestBankDetails': [on('client', (f) => ({ paymentId: f.rejection.id }))],
  'retries.stop': [on('client', (f) => ({ paymentId: f.rejection.id }))],
  'salesReps.create': [on('team', (f) => ({ firstName: 'Nouvelle', lastName: 'Recrue', managerId: f.reps.other.id })), on('team', () => ({ firstName: 'Sans', lastName: 'Responsable' }))],
  'salesReps.get': [list((f) => ({ salesRepId: f.reps.other.id }))],
  'salesReps.list': [list(() => ({ includeInactive: true }))],
  'salesReps.setTarget': [on('team', (f) => ({ salesRepId: f.reps.other.id, month: '2027-01', revenueCents: 1 }))],
  'salesReps.update': [on('team', (f) => ({ salesRepId: f.reps.other.id, managerId: f.reps.rep.id })), on('team', (f) => ({ salesRepId: f.reps.rep.id, managerId: f.reps.other.id })), on('team', (f) => ({ salesRepId: f.reps.other.id, team: 'Changé' }))],
  'signing.get': [list(() => ({ token: `${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}.inconnu` }))],
  'signing.sign': [list(() => ({ token: `${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}.inconnu`, signerName: 'Débiteur ZXQ', consent: true }))],
  'timedJobs.list': [list()],
};

const REFUSED = ['NOT_FOUND', 'FORBIDDEN'];

/** The code and the whole answer (data or error) of one call, for the caller's role. */
async function attempt(call: () => Promise<unknown>, abort: AbortController): Promise<{ code: string; body: string }> {
  try {
    let data = await call();
    // A subscription: what it yields within a moment, then the connection closes.
    if (data && typeof data === 'object' && Symbol.asyncIterator in data) {
      const iterator = (data as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const timer = setTimeout(() => abort.abort(), 300);
      const first = await iterator.next();
      clearTimeout(timer);
      abort.abort();
      await iterator.return?.();
      data = first.value;
    }
    return { code: 'OK', body: JSON.stringify(data ?? null) };
  } catch (error) {
    const e = error as { code?: string; message?: string; cause?: unknown };
    return { code: e.code ?? 'THROWN', body: `${e.message ?? String(error)} ${JSON.stringify(e.cause ?? null)}` };
  }
}

function accessOf(procedure: AnyProcedure): string {
  return (procedure._def.meta as { access?: string } | undefined)?.access ?? 'MISSING';
}

describe('inside one organisation, every role against the records outside its scope', () => {
  it('has a line for every procedure of the app router', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.filter((path) => !(path in SWEEP)), 'procedures without a line in SWEEP').toEqual([]);
    expect(Object.keys(SWEEP).filter((path) => !procedures.includes(path)), 'lines for procedures that do not exist').toEqual([]);
  });

  it('gets NOT_FOUND or FORBIDDEN (or a list without them), never a 500, never their data; nothing changes', { timeout: 300_000 }, async () => {
    const f = await scopeOrganisation(testServices());
    const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
    // What the owner sees of the records, before every role tries everything, and after.
    const state = async () => {
      const owner = await f.callerOf('owner');
      const outsider = f.outsider.caller;
      return {
        client: await owner.clients.get(x.client(f)),
        teamClient: await owner.clients.get({ clientId: f.teamClient.id }),
        contract: await owner.contracts.get(x.contract(f)),
        schedule: await owner.payments.schedule(x.contract(f)),
        mandate: await owner.mandates.get(x.mandate(f)),
        batch: await owner.batches.get(x.batch(f)),
        returnFile: await owner.payments.returnFile({ returnFileId: f.returnFile.id }),
        documents: await owner.documents.list(x.client(f)),
        letters: await owner.letters.list(x.client(f)),
        invoice: await owner.invoices.get(x.invoice(f)),
        commissions: await owner.commissions.statement({ statementId: f.commissionStatement.id }),
        commissionPlans: await owner.commissions.plans(),
        activities: await owner.activities.listForClient(x.client(f)),
        privateTasks: await outsider.activities.myTasks({ includeRecentlyDone: true }),
        appointments: await owner.appointments.list({ ...week(), people: 'all', includeCancelled: true }),
        clientImport: await owner.clientImports.get(x.clientImport(f)),
        reps: await owner.salesReps.list({ includeInactive: true }),
        targets: await owner.salesReps.get({ salesRepId: f.reps.other.id }),
        notifications: await owner.notifications.list({}),
        members: await owner.members.list(),
      };
    };
    const before = await state();

    const failures: string[] = [];
    let tried = 0;
    type Caller = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    for (const role of SWEPT_ROLES) {
      const hiddenMarkers = markersHiddenFrom(role).map((m) => m.toLowerCase());
      for (const [path, cases] of Object.entries(SWEEP)) {
        const procedure = procedures[path]!;
        const access = accessOf(procedure);
        const permitted = access === 'public' || access === 'authenticated' || can(role, access as Permission);
        for (const c of cases) {
          const hidden = isHidden(c.target, role);
          // A write the role may make on a record in its scope would change the fixture: its own tests cover it.
          if (procedure._def.type === 'mutation' && permitted && !hidden) continue;
          tried++;
          const [router, name] = path.split('.') as [string, string];
          const abort = new AbortController();
          // A subscription opens with the role's stream ticket, as its URL carries it.
          const ticket = procedure._def.type === 'subscription' ? await f.streamTicketOf(role) : undefined;
          const caller = (await f.callerOf(role, abort.signal, ticket)) as unknown as Caller;
          const { code, body } = await attempt(() => caller[router]![name]!(c.input?.(f)), abort);
          const where = `${role} ${path}(${JSON.stringify(c.input?.(f) ?? null)})`;
          if (code === 'INTERNAL_SERVER_ERROR' || code === 'THROWN') failures.push(`${where}: ${code} ${body.slice(0, 300)}`);
          const leaked = hiddenMarkers.filter((m) => body.toLowerCase().includes(m));
          if (leaked.length > 0) failures.push(`${where}: answered ${code} with ${leaked.join(', ')}`);
          if (!permitted && code !== 'FORBIDDEN' && access !== 'public' && access !== 'authenticated') failures.push(`${where}: ${code}, expected FORBIDDEN`);
          else if (permitted && hidden && !REFUSED.includes(code) && !(c.answer && code === 'OK')) failures.push(`${where}: ${code}, expected NOT_FOUND or FORBIDDEN`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(300);
    expect(await state()).toEqual(before);
  });
});

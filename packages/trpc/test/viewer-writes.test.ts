import { tenantFingerprint } from '@crm/db/testing/fingerprint';
import type { AnyProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../src/index.ts';
import { testServices } from './harness.ts';
import { proceduresWithInput, validInput } from './input-samples.ts';
import { scopeOrganisation, type ScopeFixture } from './scope-fixture.ts';

/**
 * A viewer reads; it changes nothing of its organisation. Proven by behaviour, not by the access
 * snapshot: every mutation of the app router (enumerated, so a new one is tried without a line
 * here) is called by a viewer with an input naming real records of a full organisation (what
 * would change something if the call went through), and must answer FORBIDDEN, after which every
 * row the organisation owns is what it was. What a viewer may change is its own session and its
 * own notifications and calendar feed: that short list is written out here, not read from the
 * permission table, so a write given to viewers by mistake (and the snapshot updated with it)
 * fails this test.
 */

/** The mutations a viewer may call: its own session, its own settings, and the public ones. */
const VIEWER_MAY = {
  'auth.logIn': 'public',
  'auth.signUp': 'public',
  'auth.verifyEmail': 'public',
  'auth.requestPasswordReset': 'public',
  'auth.resetPassword': 'public (the mailed link is the credential)',
  'auth.changePassword': 'its own password (the current one required)',
  'auth.confirmPassword': 'its own password, checked (nothing changes)',
  'auth.refresh': 'its own session',
  'auth.logOut': 'its own session',
  'auth.switchOrganisation': 'its own session',
  'invitations.accept': 'public (the invitation token is the credential)',
  'signing.sign': 'public (the mailed signing link is the credential)',
  'appointments.rotateFeed': 'its own calendar feed',
  'notifications.markRead': 'its own notifications',
  'notifications.markAllRead': 'its own notifications',
  'notifications.setPreference': 'its own notifications',
  'notifications.streamTicket': 'its own notification stream (a single-use ticket to open it)',
} as const;

/** Which record of the organisation an input field names: a granted call would change it. */
const RECORD_OF: Record<string, (f: ScopeFixture) => string> = {
  clientId: (f) => f.client.id,
  sourceClientId: (f) => f.client.id,
  targetClientId: (f) => f.teamClient.id,
  contractId: (f) => f.contract.id,
  mandateId: (f) => f.mandate.id,
  batchId: (f) => f.batch.id,
  activityId: (f) => f.activity.id,
  appointmentId: (f) => f.appointment.id,
  importId: (f) => f.clientImport.id,
  documentId: (f) => f.document.id,
  invitationId: (f) => f.invitation.id,
  itemId: (f) => f.listItem.id,
  memberId: (f) => f.outsider.memberId,
  productId: (f) => f.product.id,
  salesRepId: (f) => f.reps.other.id,
  toSalesRepId: (f) => f.reps.rep.id,
  fromSalesRepId: (f) => f.reps.other.id,
  scheduleItemId: (f) => f.plannedItem.id,
  deadLetterId: (f) => f.deadLetter.id,
  notificationId: (f) => f.notification.id,
  returnFileId: (f) => f.returnFile.id,
  paymentId: (f) => f.rejection.id,
};

const slot = { startsAt: '2027-01-04T10:00', endsAt: '2027-01-04T11:00' };

/**
 * Inputs that make sense for the fixture's records (what an owner could send and see succeed).
 * A mutation without a line here gets a valid input derived from its schema, its ids pointing
 * at the fixture's records (RECORD_OF): a new mutation is tried all the same.
 */
const CHOSEN: Record<string, (f: ScopeFixture) => unknown> = {
  'activities.create': (f) => ({ kind: 'note', subject: 'Note', clientId: f.client.id }),
  'activities.update': (f) => ({ activityId: f.activity.id, subject: 'Changé' }),
  'appointments.create': (f) => ({ title: 'Nouveau', ...slot, clientId: f.client.id }),
  'appointments.update': (f) => ({ appointmentId: f.appointment.id, title: 'Changé' }),
  'batches.build': () => ({ collectionDate: '2027-01-05' }),
  'clientContacts.add': (f) => ({ clientId: f.client.id, lastName: 'Contact' }),
  'clientImports.dryRun': (f) => ({ importId: f.clientImport.id, mapping: ['lastName', 'email'], duplicatePolicy: 'update' }),
  'clients.anonymise': (f) => ({ clientId: f.client.id, confirm: true }),
  'clients.create': () => ({ kind: 'company', companyName: 'Nouveau' }),
  'clients.merge': (f) => ({ sourceClientId: f.client.id, targetClientId: f.teamClient.id }),
  'clients.reassign': (f) => ({ clientIds: [f.client.id], toSalesRepId: f.reps.rep.id }),
  'clients.update': (f) => ({ clientId: f.client.id, notes: 'Changé' }),
  'contracts.cancel': (f) => ({ contractId: f.contract.id, reason: 'Annulé' }),
  'contracts.create': (f) => ({ clientId: f.client.id, lines: [{ productId: f.product.id, quantity: 1 }], startDate: '2027-03-01', durationMonths: 12, paymentMethod: 'transfer' }),
  'contracts.sign': (f) => ({ contractId: f.contract.id, signerName: 'Débiteur ZXQ', consent: true }),
  'contracts.terminate': (f) => ({ contractId: f.contract.id, endDate: '2026-12-31' }),
  'contracts.update': (f) => ({ contractId: f.contract.id, notes: 'Changé' }),
  'invitations.create': () => ({ email: 'nouveau@example.test', role: 'viewer' }),
  'lists.add': () => ({ kind: 'client_source', label: 'Salon' }),
  'lists.update': (f) => ({ itemId: f.listItem.id, label: 'Changé' }),
  'mandates.amend': (f) => ({ mandateId: f.mandate.id, debtorName: 'Changé' }),
  'members.changeRole': (f) => ({ memberId: f.outsider.memberId, role: 'viewer' }),
  'organisations.update': () => ({ legalName: 'Changé SAS' }),
  'payments.importReturns': () => ({ fileName: 'retours.csv', contentBase64: Buffer.from('end_to_end_id;status;reason_code\nE2E-PLX-1;rejected;AM04\n').toString('base64') }),
  'payments.recordManual': (f) => ({ scheduleItemId: f.plannedItem.id, method: 'cheque', receivedOn: '2026-03-05' }),
  'products.changePrice': (f) => ({ productId: f.product.id, priceCents: 1, effectiveFrom: '2027-01-01' }),
  'products.create': () => ({ code: 'NEW', name: 'Nouveau', priceCents: 1, vatRateCode: 'NORMAL', billingFrequency: 'monthly' }),
  'products.update': (f) => ({ productId: f.product.id, name: 'Changé' }),
  'salesReps.create': () => ({ firstName: 'Nouvelle', lastName: 'Recrue' }),
  'salesReps.setTarget': (f) => ({ salesRepId: f.reps.other.id, month: '2027-01', revenueCents: 1 }),
  'salesReps.update': (f) => ({ salesRepId: f.reps.other.id, team: 'Changé' }),
};

/** A valid input of `path` (derived from its schema), its ids pointing at the fixture's records. */
function inputFor(path: string, f: ScopeFixture): unknown {
  const chosen = CHOSEN[path];
  if (chosen) return chosen(f);
  const procedure = proceduresWithInput().find((p) => p.path === path);
  if (!procedure) return undefined;
  const input = validInput(procedure);
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => {
      const record = RECORD_OF[key] ?? RECORD_OF[key.replace(/s$/, '')];
      if (!record) return [key, value];
      return [key, Array.isArray(value) ? [record(f)] : record(f)];
    }),
  );
}


const mutations = () =>
  Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
    .filter(([, procedure]) => procedure._def.type === 'mutation')
    .map(([path]) => path)
    .sort();

async function codeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? `THROWN ${String(error)}`;
  }
}

describe('a viewer', () => {
  it('is allowed only the mutations listed, and each of them exists', () => {
    const all = mutations();
    expect(Object.keys(VIEWER_MAY).filter((path) => !all.includes(path))).toEqual([]);
    expect(all.length - Object.keys(VIEWER_MAY).length).toBeGreaterThan(50);
  });

  it('calling every other mutation of the router gets FORBIDDEN, and nothing of the organisation changes', { timeout: 300_000 }, async () => {
    const services = testServices();
    const f = await scopeOrganisation(services);
    const before = await tenantFingerprint(services.db, f.tenantId);
    type Caller = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    const failures: string[] = [];
    let tried = 0;
    for (const path of mutations()) {
      if (path in VIEWER_MAY) continue;
      const [router, name] = path.split('.') as [string, string];
      const input = inputFor(path, f);
      const caller = (await f.callerOf('viewer')) as unknown as Caller;
      const code = await codeOf(() => caller[router]![name]!(input));
      tried++;
      if (code !== 'FORBIDDEN') failures.push(`${path}(${JSON.stringify(input)}): ${code}`);
    }
    expect(failures).toEqual([]);
    expect(tried).toBe(mutations().length - Object.keys(VIEWER_MAY).length);
    expect(await tenantFingerprint(services.db, f.tenantId)).toEqual(before);
  });

  it('(the same inputs change the organisation when its owner sends them: the check above can fail)', { timeout: 120_000 }, async () => {
    const services = testServices();
    const f = await scopeOrganisation(services);
    type Caller = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    const owner = (await f.callerOf('owner')) as unknown as Caller;
    const paths = ['clients.update', 'contracts.suspend', 'organisations.update', 'products.create', 'activities.create', 'salesReps.setTarget'];
    for (const path of paths) {
      const before = await tenantFingerprint(services.db, f.tenantId);
      const [router, name] = path.split('.') as [string, string];
      expect(await codeOf(() => owner[router]![name]!(inputFor(path, f))), path).toBe('OK');
      expect(await tenantFingerprint(services.db, f.tenantId), path).not.toEqual(before);
    }
  });
});

import { rm } from 'node:fs/promises';
import { withTenant, type Role } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  cancelAppointment,
  createContract,
  createProduct,
  DEFAULT_MAX_DOCUMENT_BYTES,
  getContract,
  listDocuments,
  LocalDiskStorage,
  sendContract,
  signContract,
  storeSignedContract,
  ZCreateContractInput,
  ZSignContractInput,
  type DocumentDeps,
  completeActivity,
  createActivity,
  createAppointment,
  createClient,
  createSalesRep,
  deleteActivity,
  getBatch,
  getContractSchedule,
  listAppointments,
  listBatches,
  listClientActivities,
  listMandates,
  listMyTasks,
  listScheduleItems,
  previewBatch,
  readCalendarFeed,
  rotateMyCalendarFeed,
  systemClock,
  updateActivity,
  updateSalesRep,
  ZCreateActivityInput,
  ZCreateAppointmentInput,
  ZListAppointmentsInput,
  ZListMyTasksInput,
  ZUpdateActivityInput,
  type TenantDeps,
} from '../src/index.ts';
import { ownerTenant, uniqueEmail } from './harness.ts';

/**
 * What members with a sales or team scope see and change beside clients: appointments (busy
 * time), the calendar feed, private tasks, activities written by others, payments and batches,
 * the reps of the team. Each runs as the procedures do: the transaction enters the tenant as
 * the member, so PostgreSQL applies their scopes.
 */
type Person = { userId: string; memberId: string; role: Role; name: string };

async function organisation() {
  const { auth, owner, member, run } = await ownerTenant();
  const tenantId = owner.tenantId;
  const boss: Person = { userId: owner.userId, memberId: member.id, role: 'owner', name: 'Owner Test' };
  const person = (role: Role, name: string) =>
    withTenant(auth.db, tenantId, async (tx) => {
      const user = await tx.user.create({ data: { email: uniqueEmail(role), name, passwordHash: 'unused' } });
      const m = await tx.membership.create({ data: { tenantId, userId: user.id, role } });
      return { userId: user.id, memberId: m.id, role, name } satisfies Person;
    });
  const manager = await person('manager', 'Léa Chef');
  const sales = await person('sales', 'Jean Équipe');
  const outsider = await person('sales', 'Paul Ailleurs');
  const accountant = await person('accountant', 'Anne Compta');
  const reps = await withTenant(auth.db, tenantId, async (tx) => {
    const rep = (code: string, userId: string, managerId?: string) =>
      tx.salesRep.create({ data: { tenantId, userId, code, firstName: code, lastName: 'Rep', ...(managerId ? { managerId } : {}) } });
    const lead = await rep('LEAD', manager.userId);
    return { lead, team: await rep('TEAM', sales.userId, lead.id), other: await rep('OTHR', outsider.userId) };
  });
  const as = <R>(who: Person, f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(auth.db, tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: who.userId, tenantId, memberId: who.memberId, role: who.role } }), { userId: who.userId });
  const client = async (companyName: string, salesRepId: string) =>
    (await run((deps) => createClient(deps, { kind: 'company', companyName, salesRepId, ignoreDuplicates: true }))).client!;
  const teamClient = await client('Client Équipe', reps.team.id);
  const hiddenClient = await client('Client Ailleurs', reps.other.id);
  const failure = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: { code?: string; message?: string }) => e.code ?? e.message ?? 'THROWN');
  return { auth, tenantId, run, boss, manager, sales, outsider, accountant, reps, as, teamClient, hiddenClient, failure };
}

const appointment = (o: Awaited<ReturnType<typeof organisation>>, input: Record<string, unknown>, who = o.boss) =>
  o.as(who, (deps) => createAppointment(deps, ZCreateAppointmentInput.parse({ ignoreOverlaps: true, ...input })));

describe('appointments and the calendar feed under a sales or team scope', () => {
  it('shows others’ appointments as busy time, unless one takes part, one’s team does, or the client is in scope', async () => {
    const o = await organisation();
    const slot = (hour: number) => ({ startsAt: `2026-12-10T${String(hour).padStart(2, '0')}:00`, endsAt: `2026-12-10T${String(hour).padStart(2, '0')}:30` });
    await appointment(o, { title: 'Chez Ailleurs', location: 'Lyon', notes: 'Tarifs', clientId: o.hiddenClient.id, ...slot(9) });
    await appointment(o, { title: 'Chez Équipe', clientId: o.teamClient.id, ...slot(10) });
    await appointment(o, { title: 'Privé Paul', notes: 'Dentiste', ownerUserId: o.outsider.userId, ...slot(11) });
    await appointment(o, { title: 'Privé Jean', ownerUserId: o.sales.userId, ...slot(12) });
    await appointment(o, { title: 'Avec Jean', clientId: o.hiddenClient.id, attendeeUserIds: [o.sales.userId], ...slot(13) });

    const seen = async (who: typeof o.boss) =>
      (await o.as(who, (deps) => listAppointments(deps, ZListAppointmentsInput.parse({ from: '2026-12-10', to: '2026-12-11', people: 'all' })))).appointments.map((a) =>
        [a.title, a.location, a.notes, a.client?.displayName ?? null, a.detailsHidden].join('|'),
      );
    expect(await seen(o.sales)).toEqual([
      'Occupé||||true',
      'Chez Équipe|||Client Équipe|false',
      'Occupé||||true',
      'Privé Jean||||false',
      'Avec Jean||||false', // he attends: the details, but not the name of a client outside his scope
    ]);
    expect(await seen(o.manager)).toEqual([
      'Occupé||||true',
      'Chez Équipe|||Client Équipe|false',
      'Occupé||||true',
      'Privé Jean||||false', // his team's
      'Avec Jean||||false',
    ]);
    // The organisation-wide roles see the shared calendar whole.
    expect((await seen(o.accountant)).map((line) => line.split('|')[0])).toEqual(['Chez Ailleurs', 'Chez Équipe', 'Privé Paul', 'Privé Jean', 'Avec Jean']);

    // Booking next to a busy colleague says when, never what.
    const clash = await o.as(o.sales, (deps) =>
      createAppointment(deps, ZCreateAppointmentInput.parse({ title: 'Réunion', attendeeUserIds: [o.outsider.userId], ...slot(11) })),
    );
    expect(clash.appointment).toBeNull();
    expect(clash.overlaps).toEqual([expect.objectContaining({ title: 'Occupé', notes: '', detailsHidden: true, busy: [{ userId: o.outsider.userId, name: 'Paul Ailleurs' }] })]);
  });

  it('lets a team manager change only the appointments whose details they see', async () => {
    const o = await organisation();
    const others = (await appointment(o, { title: 'Privé Paul', ownerUserId: o.outsider.userId, startsAt: '2026-12-10T09:00', endsAt: '2026-12-10T10:00' })).appointment!;
    const teams = (await appointment(o, { title: 'Privé Jean', ownerUserId: o.sales.userId, startsAt: '2026-12-10T11:00', endsAt: '2026-12-10T12:00' })).appointment!;
    expect(await o.failure(o.as(o.manager, (deps) => cancelAppointment(deps, { appointmentId: others.id })))).toBe('FORBIDDEN');
    expect(await o.failure(o.as(o.manager, (deps) => cancelAppointment(deps, { appointmentId: teams.id })))).toBe('OK');
    // Nor book one for people and a client outside the team.
    const outside = { title: 'x', ownerUserId: o.outsider.userId, startsAt: '2026-12-11T09:00', endsAt: '2026-12-11T10:00' };
    expect(await o.failure(appointment(o, outside, o.manager))).toBe('FORBIDDEN');
  });

  it('gives a feed what its member sees in the app: an appointment they attend, without the name of a client outside their scope', async () => {
    const o = await organisation();
    const now = new Date();
    const day = new Date(now.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    await appointment(o, { title: 'Visite commune', clientId: o.hiddenClient.id, attendeeUserIds: [o.sales.userId], startsAt: `${day}T09:00`, endsAt: `${day}T10:00` });
    const feedOf = async (who: typeof o.boss) => {
      const { token } = await o.as(who, (deps) => rotateMyCalendarFeed(deps));
      return (await readCalendarFeed({ db: o.auth.db, clock: systemClock }, token))!;
    };
    const sales = await feedOf(o.sales);
    expect(sales).toContain('SUMMARY:Visite commune');
    expect(sales).not.toContain('Client Ailleurs');
    expect(await feedOf(o.boss)).toContain('Client : Client Ailleurs');
  });
});

describe('tasks and activities under a sales or team scope', () => {
  it('keeps a private task to its owner, its author and whoever manages its owner', async () => {
    const o = await organisation();
    const task = (ownerUserId: string, subject: string) => o.as(o.boss, (deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'task', subject, ownerUserId })));
    const pauls = await task(o.outsider.userId, 'Privée Paul');
    const jeans = await task(o.sales.userId, 'Privée Jean');
    for (const who of [o.sales, o.manager]) {
      expect(await o.failure(o.as(who, (deps) => completeActivity(deps, { activityId: pauls.id })))).toBe('NOT_FOUND');
      expect(await o.failure(o.as(who, (deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: pauls.id, subject: 'x' }))))).toBe('NOT_FOUND');
      expect(await o.failure(o.as(who, (deps) => deleteActivity(deps, { activityId: pauls.id })))).toBe('NOT_FOUND');
    }
    // Its owner has it; the manager of Jean's team handles Jean's.
    const myTasks = (who: typeof o.boss) => o.as(who, (deps) => listMyTasks(deps, ZListMyTasksInput.parse({})));
    expect((await myTasks(o.outsider)).open.map((t) => t.subject)).toEqual(['Privée Paul']);
    expect((await o.as(o.manager, (deps) => completeActivity(deps, { activityId: jeans.id }))).doneAt).not.toBeNull();
    expect(await o.failure(o.as(o.outsider, (deps) => deleteActivity(deps, { activityId: jeans.id })))).toBe('NOT_FOUND');
    expect((await myTasks(o.outsider)).open.map((t) => t.subject)).toEqual(['Privée Paul']);
  });

  it('lets a sales member read what others wrote about their client, and change only what is theirs', async () => {
    const o = await organisation();
    const note = await o.as(o.boss, (deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'note', subject: 'Note du patron', clientId: o.teamClient.id })));
    const own = await o.as(o.sales, (deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'call', subject: 'Mon appel', clientId: o.teamClient.id })));
    const listed = await o.as(o.sales, (deps) => listClientActivities(deps, { clientId: o.teamClient.id, limit: 50 }));
    expect(listed.items.map((a) => a.subject).sort()).toEqual(['Mon appel', 'Note du patron']);
    expect(await o.failure(o.as(o.sales, (deps) => deleteActivity(deps, { activityId: note.id })))).toBe('FORBIDDEN');
    expect(await o.failure(o.as(o.sales, (deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: note.id, subject: 'x' }))))).toBe('FORBIDDEN');
    expect(await o.failure(o.as(o.sales, (deps) => deleteActivity(deps, { activityId: own.id })))).toBe('OK');
  });

  it('gives a client’s task only to a member who sees that client', async () => {
    const o = await organisation();
    const give = (ownerUserId: string) =>
      o.failure(o.as(o.boss, (deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'task', subject: 'Relancer', clientId: o.teamClient.id, ownerUserId }))));
    expect(await give(o.outsider.userId)).toBe('BAD_REQUEST');
    expect(await give(o.sales.userId)).toBe('OK');
    expect(await give(o.manager.userId)).toBe('OK');
    expect(await give(o.accountant.userId)).toBe('OK');
    const mine = await o.as(o.boss, (deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'task', subject: 'À moi', clientId: o.teamClient.id })));
    expect(await o.failure(o.as(o.boss, (deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: mine.id, ownerUserId: o.outsider.userId }))))).toBe('BAD_REQUEST');
  });
});

describe('writing under a sales scope', () => {
  it('drafts, sends and signs a contract of one’s client: lines, history and signed PDF pass the scoped policies', async () => {
    const o = await organisation();
    const storage = LocalDiskStorage.temporary('crm-scoped-contract');
    try {
      const product = await o.run((deps) => createProduct(deps, { code: 'ABO', name: 'Abonnement', description: '', priceCents: 2_500, vatRateCode: 'NORMAL', billingFrequency: 'monthly' }));
      const asSales = <R>(f: (deps: DocumentDeps) => Promise<R>) => o.as(o.sales, (deps) => f({ ...deps, documents: { storage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } }));
      const draft = await asSales((deps) =>
        createContract(deps, ZCreateContractInput.parse({ clientId: o.teamClient.id, lines: [{ productId: product.id, quantity: 1 }], startDate: '2027-03-01', durationMonths: 12, paymentMethod: 'transfer', consumer: false })),
      );
      await asSales((deps) => sendContract(deps, { contractId: draft.id }));
      const signed = await asSales((deps) => signContract(deps, ZSignContractInput.parse({ contractId: draft.id, signerName: 'Claire Équipe', signerCapacity: 'gérante', consent: true }), { ip: '203.0.113.7' }));
      expect(signed.status).toBe('signed');
      // The worker's documents consumer keeps the signed PDF (no member scope: it acts for the organisation).
      await withTenant(o.auth.db, o.tenantId, (tx) => storeSignedContract(tx, o.tenantId, draft.id, { now: new Date(), storage, by: 'system:documents' }));
      const read = await asSales((deps) => getContract(deps, { contractId: draft.id }));
      expect(read.lines).toHaveLength(1);
      expect((await asSales((deps) => listDocuments(deps, { contractId: draft.id }))).map((d) => d.kind)).toEqual(['signed_contract']);
      // The same contract is out of another rep's reach.
      expect(await o.failure(o.as(o.outsider, (deps) => getContract(deps, { contractId: draft.id })))).toBe('NOT_FOUND');
    } finally {
      await rm(storage.root, { recursive: true, force: true });
    }
  });
});

describe('payments and reps under a team scope', () => {
  it('shows a team manager the mandates and debits of the team’s clients, no batch, and no 500', async () => {
    const o = await organisation();
    await withTenant(o.auth.db, o.tenantId, async (tx) => {
      for (const [n, c] of [[1, o.teamClient], [2, o.hiddenClient]] as const) {
        const contract = await tx.contract.create({
          data: { tenantId: o.tenantId, number: `CT-${n}`, clientId: c.id, status: 'active', billingFrequency: 'monthly', startDate: new Date('2026-01-01'), durationMonths: 12, paymentMethod: 'sepa_debit' },
        });
        const mandate = await tx.sepaMandate.create({
          data: { tenantId: o.tenantId, clientId: c.id, contractId: contract.id, rum: `RUM-${n}`, debtorName: c.displayName, iban: 'FR1420041010050500013M02606', signedOn: new Date('2026-01-01'), signedPlace: 'Lyon' },
        });
        await tx.scheduleItem.create({
          data: { tenantId: o.tenantId, contractId: contract.id, clientId: c.id, mandateId: mandate.id, periodStart: new Date('2026-02-01'), periodEnd: new Date('2026-02-28'), dueDate: new Date('2026-02-05'), amountCents: 1_000, paymentMethod: 'sepa_debit' },
        });
      }
      await tx.sepaBatch.create({ data: { tenantId: o.tenantId, number: 1, messageId: 'PRLV-1', collectionDate: new Date('2026-02-05'), format: 'pain.008.001.08', itemCount: 2, totalCents: 2_000n } });
    });
    const contracts = await o.run(({ tx }) => tx.contract.findMany({ orderBy: { number: 'asc' } }));
    const batch = await o.run(({ tx }) => tx.sepaBatch.findFirstOrThrow({}));

    expect((await o.as(o.manager, (deps) => listMandates(deps, { limit: 100 }))).items.map((m) => m.clientName)).toEqual(['Client Équipe']);
    expect((await o.as(o.manager, (deps) => listScheduleItems(deps, { limit: 100 }))).items.map((i) => i.clientName)).toEqual(['Client Équipe']);
    expect((await o.as(o.manager, (deps) => getContractSchedule(deps, { contractId: contracts[0]!.id }))).items).toHaveLength(1);
    expect(await o.failure(o.as(o.manager, (deps) => getContractSchedule(deps, { contractId: contracts[1]!.id })))).toBe('NOT_FOUND');
    // A batch holds every debtor: not for a member who sees part of them.
    expect((await o.as(o.manager, (deps) => listBatches(deps, { limit: 100 }))).items).toEqual([]);
    expect(await o.failure(o.as(o.manager, (deps) => getBatch(deps, { batchId: batch.id })))).toBe('NOT_FOUND');
    expect(await o.failure(o.as(o.manager, (deps) => previewBatch(deps, { collectionDate: '2027-01-05', scheme: 'CORE' })))).toBe('FORBIDDEN');
    expect((await o.as(o.accountant, (deps) => listMandates(deps, { limit: 100 }))).items.map((m) => m.clientName).sort()).toEqual(['Client Ailleurs', 'Client Équipe']);
    expect((await o.as(o.accountant, (deps) => listBatches(deps, { limit: 100 }))).items).toHaveLength(1);
  });

  it('lets a team manager add and change the reps of the team, and keep new ones in it', async () => {
    const o = await organisation();
    const recruit = await o.as(o.manager, (deps) => createSalesRep(deps, { firstName: 'Nina', lastName: 'Recrue', managerId: o.reps.team.id }));
    expect(recruit.managerId).toBe(o.reps.team.id);
    expect((await o.as(o.manager, (deps) => updateSalesRep(deps, { salesRepId: recruit.id, team: 'Sud' }))).team).toBe('Sud');
    expect(await o.failure(o.as(o.manager, (deps) => updateSalesRep(deps, { salesRepId: recruit.id, managerId: null })))).toBe('FORBIDDEN');
    expect(await o.failure(o.as(o.manager, (deps) => createSalesRep(deps, { firstName: 'Libre', lastName: 'Électron' })))).toBe('FORBIDDEN');
  });
});

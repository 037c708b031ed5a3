import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  archiveClient,
  completeActivity,
  createActivity,
  createClient,
  deleteActivity,
  getClientTimeline,
  listClientActivities,
  listMyTasks,
  notifyOnEvent,
  reopenActivity,
  restoreClient,
  updateActivity,
  updateClient,
  ZClientTimelineInput,
  ZCreateActivityInput,
  ZListClientActivitiesInput,
  ZListMyTasksInput,
  ZUpdateActivityInput,
  type DomainError,
  type EventEnvelope,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, ownerTenant, testAuthDeps } from './harness.ts';

async function tenant() {
  const { auth, owner, run } = await ownerTenant();
  const client = async (companyName = 'Boulangerie Martin') =>
    (await run((deps) => createClient(deps, { kind: 'company', companyName, ignoreDuplicates: true })) ).client!;
  const create = (input: Record<string, unknown>, now?: Date) => run((deps) => createActivity(deps, ZCreateActivityInput.parse(input)), now);
  const myTasks = (now: Date, input: Record<string, unknown> = {}) => run((deps) => listMyTasks(deps, ZListMyTasksInput.parse(input)), now);
  const timeline = (input: Record<string, unknown>) => run((deps) => getClientTimeline(deps, ZClientTimelineInput.parse(input)));
  /** Another user of the platform made a member of this organisation (as a sales rep). */
  const addMember = async () => {
    const other = await newTenant(auth, 'Ailleurs');
    await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.create({ data: { tenantId: owner.tenantId, userId: other.userId, role: 'sales' } }));
    return other.userId;
  };
  return { owner, run, client, create, myTasks, timeline, addMember };
}

const failure = async (promise: Promise<unknown>) => {
  const error = (await promise.then(() => null, (e: unknown) => e)) as DomainError | null;
  expect(error, 'expected a failure').not.toBeNull();
  return { code: error!.code, message: error!.message, fieldErrors: error!.fieldErrors };
};

describe('activities', () => {
  it('plans a task for a client, completes it, reopens it; calls and notes are recorded as done', async () => {
    const t = await tenant();
    const c = await t.client();
    const task = await t.create({ kind: 'task', type: 'Tâche', subject: 'Envoyer le devis', body: 'Version 2', clientId: c.id, dueDate: '2026-03-12' });
    expect(task).toMatchObject({ kind: 'task', type: 'Tâche', subject: 'Envoyer le devis', clientId: c.id, clientName: 'Boulangerie Martin', ownerUserId: t.owner.userId, ownerName: 'Owner Test', dueDate: '2026-03-12', doneAt: null });

    const later = new Date('2026-03-12T09:00:00Z');
    const done = await t.run((deps) => completeActivity(deps, { activityId: task.id }), later);
    expect(done.doneAt).toBe(later.toISOString());
    expect(done.bucket).toBe('done');
    const again = await t.run((deps) => completeActivity(deps, { activityId: task.id }), new Date('2026-03-13T09:00:00Z'));
    expect(again.doneAt).toBe(later.toISOString()); // a second click changes nothing
    const reopened = await t.run((deps) => reopenActivity(deps, { activityId: task.id }));
    expect(reopened.doneAt).toBeNull();

    const call = await t.create({ kind: 'call', subject: 'Appel de présentation', clientId: c.id });
    expect(call.doneAt).not.toBeNull();
    const plannedCall = await t.create({ kind: 'call', subject: 'Rappeler', clientId: c.id, dueDate: '2026-03-20' });
    expect(plannedCall.doneAt).toBeNull();
    const note = await t.create({ kind: 'note', subject: 'Préfère être appelé le matin', clientId: c.id });
    expect(await failure(t.run((deps) => reopenActivity(deps, { activityId: note.id })))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(t.create({ kind: 'note', subject: 'x', done: false }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { done: [expect.any(String)] } });

    const updated = await t.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: task.id, subject: 'Envoyer le devis signé', dueDate: null })));
    expect(updated).toMatchObject({ subject: 'Envoyer le devis signé', dueDate: null, body: 'Version 2' });

    const audit = await t.run(({ tx }) => tx.auditLog.findMany({ where: { entityType: 'activity', entityId: task.id }, orderBy: { createdAt: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(['activity.created', 'activity.completed', 'activity.reopened', 'activity.updated']);

    await t.run((deps) => deleteActivity(deps, { activityId: call.id }));
    const listed = await t.run((deps) => listClientActivities(deps, ZListClientActivitiesInput.parse({ clientId: c.id })));
    expect(listed.items.map((a) => a.id).sort()).toEqual([task.id, plannedCall.id, note.id].sort());
  });

  it('refuses bad input with French field errors: unknown type, owner outside the organisation, empty subject', async () => {
    const t = await tenant();
    const stranger = await newTenant(testAuthDeps(), 'Étrangère');
    expect(await failure(t.create({ kind: 'task', subject: 'Relancer', ownerUserId: stranger.userId }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { ownerUserId: ["Ce responsable n'est pas membre de l'organisation"] },
    });
    expect(await failure(t.create({ kind: 'task', subject: 'Relancer', type: 'Inventé' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { type: [expect.stringContaining("Type d'activité inconnu")] },
    });
    const parsed = ZCreateActivityInput.safeParse({ kind: 'fax', subject: ' ', dueDate: '12/03/2026', extra: 1 });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(expect.arrayContaining(["kind: Nature d'activité inconnue", 'subject: Objet requis', 'dueDate: Date invalide (AAAA-MM-JJ)']));
    expect(parsed.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);

    const colleague = await t.addMember();
    const assigned = await t.create({ kind: 'task', subject: 'Visite', ownerUserId: colleague });
    expect(assigned).toMatchObject({ ownerUserId: colleague, ownerName: 'Owner Test' });
    expect(await failure(t.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: assigned.id, ownerUserId: stranger.userId }))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { ownerUserId: [expect.any(String)] },
    });
  });

  it('tells a member when someone else gives them a to-do, and only then', async () => {
    const t = await tenant();
    const colleague = await t.addMember();
    const c = await t.client();
    // The colleague (sales) follows the client: a client's task goes only to someone who sees it.
    await t.run(async ({ tx, actor }) => {
      const rep = await tx.salesRep.create({ data: { tenantId: actor.tenantId, userId: colleague, code: 'COLL', firstName: 'Col', lastName: 'Lègue' } });
      await tx.client.update({ where: { id: c.id }, data: { salesRepId: rep.id } });
    });
    const given = await t.create({ kind: 'task', subject: 'Relancer le devis', clientId: c.id, dueDate: '2026-03-12', ownerUserId: colleague });
    await t.create({ kind: 'task', subject: 'Pour moi' });
    await t.create({ kind: 'call', subject: 'Appel déjà passé pour lui', ownerUserId: colleague });
    const mine = await t.create({ kind: 'task', subject: 'Passée au collègue' });
    await t.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: mine.id, ownerUserId: colleague })));
    await t.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: mine.id, subject: 'Passée au collègue (bis)' })));

    const events = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'activity.assigned' }, orderBy: { occurredAt: 'asc' } }));
    expect(events.map((e) => e.payload)).toEqual([
      { activityId: given.id, kind: 'task', subject: 'Relancer le devis', clientId: c.id, ownerUserId: colleague, assignedByUserId: t.owner.userId, dueDate: '2026-03-12' },
      expect.objectContaining({ activityId: mine.id, subject: 'Passée au collègue', ownerUserId: colleague, dueDate: null }),
    ]);
    const envelope = { ...events[0]!, occurredAt: events[0]!.occurredAt.toISOString() } as unknown as EventEnvelope;
    await t.run(({ tx }) => notifyOnEvent(tx, envelope));
    const notes = await t.run(({ tx }) => tx.notification.findMany({ where: { type: 'activity.assigned' } }));
    expect(notes).toEqual([
      expect.objectContaining({ userId: colleague, title: 'Nouvelle tâche', body: 'Owner Test vous a confié : Relancer le devis (échéance le 12/03/2026).', link: '/taches' }),
    ]);
  });

  it("lists my open tasks overdue first (today in Paris), then today, later, undated; not others' nor done ones", async () => {
    const t = await tenant();
    const colleague = await t.addMember();
    // 23:30 UTC on 10 March is already 11 March in Paris: a task due on the 10th is overdue.
    const now = new Date('2026-03-10T23:30:00Z');
    const made = async (subject: string, extra: Record<string, unknown> = {}) => (await t.create({ kind: 'task', subject, ...extra }, now)).id;
    await made('Sans date');
    await made('Plus tard', { dueDate: '2026-04-01' });
    await made("Aujourd'hui", { dueDate: '2026-03-11' });
    await made('Hier', { dueDate: '2026-03-10' });
    await made('La semaine dernière', { dueDate: '2026-03-03' });
    await made('Appel prévu', { kind: 'call', dueDate: '2026-03-12' });
    await made('Pas à moi', { dueDate: '2026-03-01', ownerUserId: colleague });
    const finished = await made('Déjà faite', { dueDate: '2026-03-02' });
    await t.run((deps) => completeActivity(deps, { activityId: finished }), now);
    await t.create({ kind: 'call', subject: 'Appel passé' }, now);

    const mine = await t.myTasks(now);
    expect(mine.today).toBe('2026-03-11');
    expect(mine.open.map((a) => [a.subject, a.bucket])).toEqual([
      ['La semaine dernière', 'overdue'],
      ['Hier', 'overdue'],
      ["Aujourd'hui", 'today'],
      ['Appel prévu', 'later'],
      ['Plus tard', 'later'],
      ['Sans date', 'undated'],
    ]);
    expect(mine.hasMore).toBe(false);
    expect(mine.recentlyDone).toEqual([]);
    const bounded = await t.myTasks(now, { limit: 2, includeRecentlyDone: true });
    expect(bounded.open.map((a) => a.subject)).toEqual(['La semaine dernière', 'Hier']);
    expect(bounded.hasMore).toBe(true);
    expect(bounded.recentlyDone.map((a) => a.subject)).toEqual(['Déjà faite']); // not the call recorded as done
  });

  it("answers NOT_FOUND for another organisation's client and activities, and leaves them untouched", async () => {
    const a = await tenant();
    const b = await tenant();
    const bClient = await b.client('Client de B');
    const bTask = await b.create({ kind: 'task', subject: 'Tâche de B', clientId: bClient.id, dueDate: '2026-03-12' });
    const notFound = { code: 'NOT_FOUND' };
    expect(await failure(a.create({ kind: 'task', subject: 'Intrusion', clientId: bClient.id }))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => completeActivity(deps, { activityId: bTask.id })))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => reopenActivity(deps, { activityId: bTask.id })))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => deleteActivity(deps, { activityId: bTask.id })))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: bTask.id, subject: 'x' }))))).toMatchObject(notFound);
    const aTask = await a.create({ kind: 'task', subject: 'Tâche de A' });
    expect(await failure(a.run((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: aTask.id, clientId: bClient.id }))))).toMatchObject(notFound);
    expect(await failure(a.run((deps) => listClientActivities(deps, ZListClientActivitiesInput.parse({ clientId: bClient.id }))))).toMatchObject(notFound);
    expect(await failure(a.timeline({ clientId: bClient.id }))).toMatchObject(notFound);
    expect((await a.myTasks(new Date())).open.map((x) => x.subject)).toEqual(['Tâche de A']);

    const bTimeline = await b.timeline({ clientId: bClient.id });
    expect(bTimeline.items.map((e) => e.title)).toEqual(['Tâche de B', 'Client créé']);
    expect((await b.myTasks(new Date())).open).toEqual([expect.objectContaining({ id: bTask.id, subject: 'Tâche de B', doneAt: null })]);
  });

  it("keeps a sales member out of the activities and timeline of clients outside their scope", async () => {
    const t = await tenant();
    const salesUser = await t.addMember(); // role sales
    const { mine, theirs } = await t.run(async ({ tx }) => {
      const myRep = await tx.salesRep.create({ data: { tenantId: t.owner.tenantId, userId: salesUser, code: 'R1', firstName: 'Sam', lastName: 'Vendeur' } });
      const otherRep = await tx.salesRep.create({ data: { tenantId: t.owner.tenantId, code: 'R2', firstName: 'Autre', lastName: 'Vendeur' } });
      const row = (name: string, salesRepId: string) =>
        tx.client.create({ data: { tenantId: t.owner.tenantId, kind: 'company', companyName: name, displayName: name, sortName: name.toLowerCase(), searchText: name.toLowerCase(), salesRepId } });
      return { mine: await row('Client de Sam', myRep.id), theirs: await row('Client des autres', otherRep.id) };
    });
    await t.create({ kind: 'call', subject: 'Appel chez les autres', clientId: theirs.id });
    const member = await withTenant(testAuthDeps().db, t.owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: salesUser } }));
    // As the procedures run it: the transaction knows the user, so the clients policy applies.
    const asSales = <R>(f: (deps: TenantDeps) => Promise<R>) =>
      withTenant(testAuthDeps().db, t.owner.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: salesUser, tenantId: t.owner.tenantId, memberId: member.id, role: 'sales' } }), { userId: salesUser });
    const call = await asSales((deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'call', subject: 'Appel', clientId: mine.id })));
    expect(call.clientName).toBe('Client de Sam');
    expect((await asSales((deps) => getClientTimeline(deps, ZClientTimelineInput.parse({ clientId: mine.id })))).items.map((e) => e.title)).toEqual(['Appel']);
    const theirsActivity = await t.run(({ tx }) => tx.activity.findFirstOrThrow({ where: { clientId: theirs.id } }));
    for (const attempt of [
      () => asSales((deps) => getClientTimeline(deps, ZClientTimelineInput.parse({ clientId: theirs.id }))),
      () => asSales((deps) => listClientActivities(deps, ZListClientActivitiesInput.parse({ clientId: theirs.id }))),
      () => asSales((deps) => createActivity(deps, ZCreateActivityInput.parse({ kind: 'note', subject: 'x', clientId: theirs.id }))),
      () => asSales((deps) => completeActivity(deps, { activityId: theirsActivity.id })),
      () => asSales((deps) => updateActivity(deps, ZUpdateActivityInput.parse({ activityId: call.id, clientId: theirs.id }))),
    ]) {
      expect(await failure(attempt())).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it("merges a client's activities, events and record changes in one chronology, newest first, and pages through it", async () => {
    const t = await tenant();
    const c = await t.client('Énergies Côtières');
    const other = await t.client('Autre client');
    await t.create({ kind: 'call', subject: 'Premier appel', body: 'Intéressé', clientId: c.id });
    await t.run((deps) => updateClient(deps, { clientId: c.id, email: 'contact@cotieres.test', phone: '+33145454545' }));
    await t.create({ kind: 'note', type: 'Note', subject: 'Décideur : la gérante', clientId: c.id });
    await t.run((deps) => archiveClient(deps, { clientId: c.id }));
    await t.run((deps) => restoreClient(deps, { clientId: c.id }));
    await t.create({ kind: 'meeting', subject: 'Rendez-vous de 2025', clientId: c.id, occurredAt: '2025-06-01T08:00:00.000Z' });
    await t.create({ kind: 'task', subject: 'Autre client', clientId: other.id });
    // Same instant as the creation event: the entry id breaks the tie, the same way on every page.
    const created = await t.run(({ tx }) => tx.outboxEvent.findFirstOrThrow({ where: { type: 'client.created', payload: { path: ['clientId'], equals: c.id } } }));
    await t.create({ kind: 'email', subject: 'Bienvenue', clientId: c.id, occurredAt: created.occurredAt.toISOString() });

    const full = await t.timeline({ clientId: c.id, limit: 100 });
    expect(full.nextCursor).toBeNull();
    expect(full.items.map((e) => [e.kind, e.type, e.title])).toEqual([
      ['event', 'client.restored', 'Client restauré'],
      ['event', 'client.archived', 'Client archivé'],
      ['activity', 'note', 'Décideur : la gérante'],
      ['event', 'client.updated', 'Fiche modifiée'],
      ['activity', 'call', 'Premier appel'],
      ['event', 'client.created', 'Client créé'], // 'event:…' sorts above 'activity:…' at the same instant
      ['activity', 'email', 'Bienvenue'],
      ['activity', 'meeting', 'Rendez-vous de 2025'],
    ]);
    const byType = Object.fromEntries(full.items.map((e) => [e.type, e]));
    expect(byType['client.updated']).toMatchObject({ detail: 'Champs : email, téléphone', actorName: 'Owner Test' });
    expect(byType['client.created']).toMatchObject({ detail: 'Énergies Côtières', at: created.occurredAt.toISOString() });
    expect(byType.note).toMatchObject({ label: 'Note', status: 'done', actorName: 'Owner Test' });
    expect(byType.call).toMatchObject({ detail: 'Intéressé' });
    const at = full.items.map((e) => e.at);
    expect([...at].sort().reverse()).toEqual(at);

    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.timeline({ clientId: c.id, limit, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 20);
      expect(seen, `pages of ${limit}`).toEqual(full.items.map((e) => e.id));
    }
    expect(await failure(t.timeline({ clientId: c.id, cursor: 'nonsense' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { cursor: ['Curseur invalide'] } });
    const forged = Buffer.from(JSON.stringify([new Date().toISOString(), "audit:x' OR 1=1"])).toString('base64url');
    expect(await failure(t.timeline({ clientId: c.id, cursor: forged }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

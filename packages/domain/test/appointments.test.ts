import { withTenant, type Role } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  cancelAppointment,
  createAppointment,
  type DomainError,
  escapeIcsText,
  foldIcsLine,
  getAppointment,
  getMyCalendarFeed,
  listAppointments,
  parisLocalToInstant,
  readCalendarFeed,
  rotateMyCalendarFeed,
  toParisLocal,
  updateAppointment,
  ZCreateAppointmentInput,
  ZListAppointmentsInput,
  ZUpdateAppointmentInput,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, testAuthDeps, uniqueEmail } from './harness.ts';

type Person = { userId: string; memberId: string; role: Role; name: string };

async function tenant(name = 'Agence Test') {
  const auth = testAuthDeps();
  const owner = await newTenant(auth, name);
  const ownerMember = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  const boss: Person = { userId: owner.userId, memberId: ownerMember.id, role: 'owner', name: 'Owner Test' };
  const run = <R>(f: (deps: TenantDeps) => Promise<R>, as: Person = boss, now = new Date()) =>
    withTenant(auth.db, owner.tenantId, (tx) =>
      f({ tx, now, actor: { userId: as.userId, tenantId: owner.tenantId, memberId: as.memberId, role: as.role } }),
    );
  const addMember = (role: Role, label: string): Promise<Person> =>
    withTenant(auth.db, owner.tenantId, async (tx) => {
      const user = await tx.user.create({ data: { email: uniqueEmail(label), name: label, passwordHash: 'unused' } });
      const member = await tx.membership.create({ data: { tenantId: owner.tenantId, userId: user.id, role } });
      return { userId: user.id, memberId: member.id, role, name: label };
    });
  const create = (input: Record<string, unknown>, as?: Person) =>
    run((deps) => createAppointment(deps, ZCreateAppointmentInput.parse(input)), as);
  const update = (input: Record<string, unknown>, as?: Person) =>
    run((deps) => updateAppointment(deps, ZUpdateAppointmentInput.parse(input)), as);
  const list = (input: Record<string, unknown>, as?: Person) => run((deps) => listAppointments(deps, ZListAppointmentsInput.parse(input)), as);
  return { auth, tenantId: owner.tenantId, boss, run, addMember, create, update, list };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as DomainError,
  );

describe('Paris wall-clock time', () => {
  it('converts both sides of the October 2026 change, and says which times are missing or doubled', () => {
    expect(parisLocalToInstant('2026-10-24T09:00')?.toISOString()).toBe('2026-10-24T07:00:00.000Z'); // summer time, +02:00
    expect(parisLocalToInstant('2026-10-26T09:00')?.toISOString()).toBe('2026-10-26T08:00:00.000Z'); // winter time, +01:00
    // 02:30 happens twice on 25 October: the first one, still summer time.
    expect(parisLocalToInstant('2026-10-25T02:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(parisLocalToInstant('2026-10-25T03:00')?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
    // 02:30 does not exist on 29 March.
    expect(parisLocalToInstant('2026-03-29T02:30')).toBeNull();
    expect(parisLocalToInstant('2026-03-29T03:00')?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(toParisLocal(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30'); // the second 02:30
    expect(toParisLocal(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01T00:30');
  });
});

describe('appointments', () => {
  it('books, reads, changes (bumping the sequence) and cancels, in Paris time', async () => {
    const t = await tenant();
    const rep = await t.addMember('sales', 'Rémi Commercial');
    const client = await t.run(({ tx, actor }) =>
      tx.client.create({ data: { tenantId: actor.tenantId, kind: 'company', companyName: 'Boulangerie Martin', displayName: 'Boulangerie Martin', sortName: 'boulangerie martin', searchText: 'boulangerie martin' } }),
    );
    const { appointment, overlaps } = await t.create({
      title: 'Signature contrat',
      startsAt: '2026-12-03T14:30',
      endsAt: '2026-12-03T15:30',
      location: '5 rue des Lilas, Bordeaux',
      clientId: client.id,
      attendeeUserIds: [rep.userId, rep.userId, t.boss.userId],
      reminderMinutes: 30,
    });
    expect(overlaps).toEqual([]);
    expect(appointment).toMatchObject({
      title: 'Signature contrat',
      startsAt: '2026-12-03T13:30:00.000Z',
      endsAt: '2026-12-03T14:30:00.000Z',
      start: '2026-12-03T14:30',
      end: '2026-12-03T15:30',
      client: { id: client.id, displayName: 'Boulangerie Martin' },
      owner: { userId: t.boss.userId, name: 'Owner Test' },
      // Repeats and the owner are dropped from the attendees.
      attendees: [{ userId: rep.userId, name: 'Rémi Commercial' }],
      reminderMinutes: 30,
      cancelledAt: null,
      sequence: 0,
    });
    const id = appointment!.id;
    expect(await t.run((deps) => getAppointment(deps, { appointmentId: id }))).toEqual(appointment);

    const moved = await t.update({ appointmentId: id, startsAt: '2026-12-03T16:00', endsAt: '2026-12-03T17:00', notes: 'Apporter le RIB' });
    expect(moved.appointment).toMatchObject({ start: '2026-12-03T16:00', end: '2026-12-03T17:00', notes: 'Apporter le RIB', sequence: 1, location: '5 rue des Lilas, Bordeaux' });
    const renamed = await t.update({ appointmentId: id, title: 'Signature' });
    expect(renamed.appointment).toMatchObject({ title: 'Signature', start: '2026-12-03T16:00', sequence: 2 });

    // Only the end given: checked against the stored start.
    const backwards = await failure(t.update({ appointmentId: id, endsAt: '2026-12-03T15:00' }));
    expect(backwards?.code).toBe('BAD_REQUEST');
    expect(backwards?.fieldErrors).toEqual({ endsAt: ['La fin doit être après le début'] });

    const cancelled = await t.run((deps) => cancelAppointment(deps, { appointmentId: id }));
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(cancelled.sequence).toBe(3);
    expect((await t.run((deps) => cancelAppointment(deps, { appointmentId: id }))).sequence).toBe(3); // cancelling twice changes nothing
    expect((await failure(t.update({ appointmentId: id, title: 'Encore' })))?.code).toBe('CONFLICT');

    const audit = await t.run(({ tx }) => tx.auditLog.findMany({ where: { entityId: id }, orderBy: { createdAt: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(['appointment.created', 'appointment.updated', 'appointment.updated', 'appointment.cancelled']);
  });

  it('keeps wall-clock times across the October change and lists Paris days exactly', async () => {
    const t = await tenant();
    const before = await t.create({ title: 'Samedi', startsAt: '2026-10-24T09:00', endsAt: '2026-10-24T10:00' });
    const after = await t.create({ title: 'Lundi', startsAt: '2026-10-26T09:00', endsAt: '2026-10-26T10:00' });
    expect(before.appointment!.startsAt).toBe('2026-10-24T07:00:00.000Z');
    expect(after.appointment!.startsAt).toBe('2026-10-26T08:00:00.000Z');
    // From 01:00 to 04:00 on the night of the change: three hours on the clock, four in reality.
    const night = await t.create({ title: 'Inventaire de nuit', startsAt: '2026-10-25T01:00', endsAt: '2026-10-25T04:00' });
    expect(Date.parse(night.appointment!.endsAt) - Date.parse(night.appointment!.startsAt)).toBe(4 * 3_600_000);
    // Sunday 23:30 and Monday 00:30 in Paris are both 25 October in UTC: the Paris day decides.
    await t.create({ title: 'Dimanche soir', startsAt: '2026-10-25T23:30', endsAt: '2026-10-25T23:45' });
    await t.create({ title: 'Lundi minuit', startsAt: '2026-10-26T00:30', endsAt: '2026-10-26T00:45' });

    const sunday = await t.list({ from: '2026-10-25', to: '2026-10-26' });
    expect(sunday.appointments.map((a) => a.title)).toEqual(['Inventaire de nuit', 'Dimanche soir']);
    const week = await t.list({ from: '2026-10-19', to: '2026-10-26' });
    expect(week.appointments.map((a) => a.title)).toEqual(['Samedi', 'Inventaire de nuit', 'Dimanche soir']);
    const monday = await t.list({ from: '2026-10-26', to: '2026-10-27' });
    expect(monday.appointments.map((a) => a.title)).toEqual(['Lundi minuit', 'Lundi']);
    expect(monday.truncated).toBe(false);

    const missing = await failure(t.create({ title: 'Trou', startsAt: '2026-03-29T02:30', endsAt: '2026-03-29T04:00' }));
    expect(missing?.code).toBe('BAD_REQUEST');
    expect(Object.keys(missing?.fieldErrors ?? {})).toEqual(['startsAt']);
  });

  it('refuses bad input with French field errors', () => {
    const parsed = ZCreateAppointmentInput.safeParse({ title: ' ', startsAt: '2026-12-03T15:00', endsAt: '2026-12-03T14:00', reminderMinutes: 7, extra: 1 });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining(['title: Titre requis', 'reminderMinutes: Rappel invalide', 'endsAt: La fin doit être après le début']));
    expect(messages.some((m) => m.startsWith('(input)'))).toBe(true); // the unknown field
    expect(ZCreateAppointmentInput.safeParse({ title: 'x', startsAt: '2026-02-30T10:00', endsAt: '2026-03-01T10:00' }).success).toBe(false);
    expect(ZCreateAppointmentInput.safeParse({ title: 'x', startsAt: '2026-12-03T14:30:00Z', endsAt: '2026-12-03T15:00' }).success).toBe(false);
    expect(ZListAppointmentsInput.safeParse({ from: '2026-01-01', to: '2026-03-01' }).error?.issues[0]?.message).toBe('42 jours au plus');
    expect(ZListAppointmentsInput.safeParse({ from: '2026-01-02', to: '2026-01-01' }).success).toBe(false);
  });

  it('warns when the owner or an attendee is already busy, and books only once confirmed', async () => {
    const t = await tenant();
    const rep = await t.addMember('sales', 'Rémi');
    const other = await t.addMember('sales', 'Sarah');
    const first = await t.create({ title: 'Visite', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', attendeeUserIds: [rep.userId] });

    // Rémi attends the first one; now he owns one at 10:30.
    const clash = await t.create({ title: 'Appel', startsAt: '2026-12-03T10:30', endsAt: '2026-12-03T11:30', ownerUserId: rep.userId }, rep);
    expect(clash.appointment).toBeNull();
    expect(clash.overlaps).toHaveLength(1);
    expect(clash.overlaps[0]).toMatchObject({ id: first.appointment!.id, title: 'Visite', busy: [{ userId: rep.userId, name: 'Rémi' }] });
    expect((await t.list({ from: '2026-12-03', to: '2026-12-04', people: 'all' })).appointments).toHaveLength(1); // nothing saved

    // The owner of the first one as an attendee of another: busy as well.
    const asAttendee = await t.create({ title: 'Réunion', startsAt: '2026-12-03T09:00', endsAt: '2026-12-03T10:15', ownerUserId: other.userId, attendeeUserIds: [t.boss.userId] });
    expect(asAttendee.overlaps.map((o) => o.busy.map((b) => b.name))).toEqual([['Owner Test']]);

    // Touching is not overlapping; someone else at the same time is not either.
    expect((await t.create({ title: 'Juste avant', startsAt: '2026-12-03T09:00', endsAt: '2026-12-03T10:00', ownerUserId: rep.userId }, rep)).overlaps).toEqual([]);
    expect((await t.create({ title: 'Juste après', startsAt: '2026-12-03T11:00', endsAt: '2026-12-03T12:00' })).overlaps).toEqual([]);
    expect((await t.create({ title: 'Sarah ailleurs', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', ownerUserId: other.userId })).overlaps).toEqual([]);

    // Confirmed: saved, with the warning still reported.
    const confirmed = await t.create({ title: 'Appel', startsAt: '2026-12-03T10:30', endsAt: '2026-12-03T11:30', ownerUserId: rep.userId, ignoreOverlaps: true }, rep);
    expect(confirmed.appointment).not.toBeNull();
    expect(confirmed.overlaps.map((o) => o.title)).toEqual(['Visite']);

    // Cancelled appointments keep nobody busy.
    await t.run((deps) => cancelAppointment(deps, { appointmentId: first.appointment!.id }));
    await t.run((deps) => cancelAppointment(deps, { appointmentId: confirmed.appointment!.id }));
    expect((await t.create({ title: 'Libre', startsAt: '2026-12-03T10:15', endsAt: '2026-12-03T10:45', ownerUserId: rep.userId }, rep)).overlaps).toEqual([]);
  });

  it('checks overlaps again when an appointment moves or gains people, not when it is renamed', async () => {
    const t = await tenant();
    const rep = await t.addMember('manager', 'Rémi');
    await t.create({ title: 'Rémi occupé', startsAt: '2026-12-04T14:00', endsAt: '2026-12-04T15:00', ownerUserId: rep.userId });
    const mine = (await t.create({ title: 'Le mien', startsAt: '2026-12-04T09:00', endsAt: '2026-12-04T10:00' })).appointment!;
    await t.create({ title: 'Conflit accepté', startsAt: '2026-12-04T09:30', endsAt: '2026-12-04T10:30', ignoreOverlaps: true });

    expect((await t.update({ appointmentId: mine.id, title: 'Le mien, renommé' })).overlaps).toEqual([]); // the known overlap is not reported again
    const moved = await t.update({ appointmentId: mine.id, startsAt: '2026-12-04T13:30', endsAt: '2026-12-04T14:30', attendeeUserIds: [rep.userId] });
    expect(moved.appointment).toBeNull();
    expect(moved.overlaps.map((o) => o.title)).toEqual(['Rémi occupé']);
    expect((await t.run((deps) => getAppointment(deps, { appointmentId: mine.id }))).start).toBe('2026-12-04T09:00'); // unchanged
    const confirmed = await t.update({ appointmentId: mine.id, startsAt: '2026-12-04T13:30', endsAt: '2026-12-04T14:30', attendeeUserIds: [rep.userId], ignoreOverlaps: true });
    expect(confirmed.appointment).toMatchObject({ start: '2026-12-04T13:30', attendees: [{ userId: rep.userId }] });
    // Moving it onto itself (an earlier version of the same appointment) is no overlap.
    expect((await t.update({ appointmentId: mine.id, startsAt: '2026-12-04T13:00', endsAt: '2026-12-04T13:45' })).overlaps).toEqual([]);
  });

  it('accepts only members of the organisation as owner and attendees', async () => {
    const t = await tenant();
    const elsewhere = await tenant('Autre Société');
    const outsider = await elsewhere.addMember('sales', 'Hors organisation');
    const owner = await failure(t.create({ title: 'x', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', ownerUserId: outsider.userId }));
    expect(owner?.code).toBe('BAD_REQUEST');
    expect(owner?.fieldErrors).toEqual({ ownerUserId: ["Ce membre n'appartient pas à l'organisation"] });
    const attendee = await failure(
      t.create({ title: 'x', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', attendeeUserIds: ['01900000-0000-7000-8000-000000000000'] }),
    );
    expect(attendee?.fieldErrors).toEqual({ attendeeUserIds: ["Un des participants n'appartient pas à l'organisation"] });
    // Another organisation's member and an id that exists nowhere answer alike.
    const foreign = await failure(t.create({ title: 'x', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', attendeeUserIds: [outsider.userId] }));
    expect(foreign?.fieldErrors).toEqual(attendee?.fieldErrors);
  });

  it("answers NOT_FOUND for another organisation's appointments and clients, and lists only its own", async () => {
    const a = await tenant('A');
    const b = await tenant('B');
    const bClient = await b.run(({ tx, actor }) =>
      tx.client.create({ data: { tenantId: actor.tenantId, kind: 'company', companyName: 'Client B', displayName: 'Client B', sortName: 'client b', searchText: 'client b' } }),
    );
    const bAppointment = (await b.create({ title: 'Secret de B', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', clientId: bClient.id })).appointment!;

    expect((await failure(a.create({ title: 'x', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00', clientId: bClient.id })))?.code).toBe('NOT_FOUND');
    expect((await failure(a.run((deps) => getAppointment(deps, { appointmentId: bAppointment.id }))))?.code).toBe('NOT_FOUND');
    expect((await failure(a.update({ appointmentId: bAppointment.id, title: 'Piraté' })))?.code).toBe('NOT_FOUND');
    expect((await failure(a.run((deps) => cancelAppointment(deps, { appointmentId: bAppointment.id }))))?.code).toBe('NOT_FOUND');
    // B's owner named in A's list matches nothing, and A's overlaps never see B's appointments.
    expect((await a.list({ from: '2026-12-01', to: '2026-12-08', people: 'all' })).appointments).toEqual([]);
    expect((await a.list({ from: '2026-12-01', to: '2026-12-08', people: [b.boss.userId] })).appointments).toEqual([]);
    expect((await a.create({ title: 'A', startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00' })).overlaps).toEqual([]);

    const bAfter = await b.run((deps) => getAppointment(deps, { appointmentId: bAppointment.id }));
    expect(bAfter).toEqual(bAppointment);
  });

  it('lists mine, everyone, or chosen people, cancelled ones on request', async () => {
    const t = await tenant();
    const rep = await t.addMember('sales', 'Rémi');
    const viewer = await t.addMember('viewer', 'Véra');
    await t.create({ title: 'Du patron', startsAt: '2026-12-07T09:00', endsAt: '2026-12-07T10:00' });
    await t.create({ title: 'De Rémi', startsAt: '2026-12-08T09:00', endsAt: '2026-12-08T10:00', ownerUserId: rep.userId }, rep);
    await t.create({ title: 'Avec Rémi', startsAt: '2026-12-09T09:00', endsAt: '2026-12-09T10:00', attendeeUserIds: [rep.userId] });
    const dropped = (await t.create({ title: 'Annulé', startsAt: '2026-12-10T09:00', endsAt: '2026-12-10T10:00', ownerUserId: rep.userId })).appointment!;
    await t.run((deps) => cancelAppointment(deps, { appointmentId: dropped.id }));
    const week = { from: '2026-12-07', to: '2026-12-14' };
    const titles = async (input: Record<string, unknown>, as?: Person) => (await t.list({ ...week, ...input }, as)).appointments.map((a) => a.title);

    expect(await titles({})).toEqual(['Du patron', 'Avec Rémi']);
    expect(await titles({}, rep)).toEqual(['De Rémi', 'Avec Rémi']);
    expect(await titles({ people: 'all' }, viewer)).toEqual(['Du patron', 'De Rémi', 'Avec Rémi']);
    expect(await titles({ people: [rep.userId], includeCancelled: true })).toEqual(['De Rémi', 'Avec Rémi', 'Annulé']);
    expect(await titles({ people: 'mine' }, viewer)).toEqual([]);
  });

  it('lets a sales rep handle only the appointments they take part in', async () => {
    const t = await tenant();
    const rep = await t.addMember('sales', 'Rémi');
    const colleague = await t.addMember('sales', 'Sarah');
    const bosses = (await t.create({ title: 'Du patron', startsAt: '2026-12-07T09:00', endsAt: '2026-12-07T10:00' })).appointment!;
    expect((await failure(t.run((deps) => cancelAppointment(deps, { appointmentId: bosses.id }), rep)))?.code).toBe('FORBIDDEN');
    expect((await failure(t.update({ appointmentId: bosses.id, attendeeUserIds: [rep.userId] }, rep)))?.code).toBe('FORBIDDEN');
    expect((await failure(t.create({ title: 'Pour Sarah', startsAt: '2026-12-07T11:00', endsAt: '2026-12-07T12:00', ownerUserId: colleague.userId }, rep)))?.code).toBe('FORBIDDEN');
    const shared = await t.create({ title: 'Avec Sarah', startsAt: '2026-12-07T11:00', endsAt: '2026-12-07T12:00', ownerUserId: colleague.userId, attendeeUserIds: [rep.userId] }, rep);
    expect(shared.appointment?.owner.userId).toBe(colleague.userId);
    expect((await t.run((deps) => cancelAppointment(deps, { appointmentId: shared.appointment!.id }), rep)).cancelledAt).not.toBeNull();
  });
});

/** Unfolds RFC 5545 content lines after checking CRLF ends and the 75-octet limit. */
function parseIcs(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  const lines = text.slice(0, -2).replace(/\r\n[ \t]/g, '').split('\r\n');
  type Component = { name: string; props: [string, string][]; children: Component[] };
  const root: Component = { name: '', props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const [name, value] = [line.slice(0, colon), line.slice(colon + 1)];
    if (name === 'BEGIN') {
      const child = { name: value, props: [], children: [] };
      stack.at(-1)!.children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      expect(stack.pop()!.name).toBe(value);
    } else stack.at(-1)!.props.push([name, value]);
  }
  expect(stack).toHaveLength(1);
  const prop = (c: Component, name: string) => c.props.find(([n]) => n === name)?.[1];
  return { root, prop };
}

const unescape = (value: string) => value.replace(/\\n/g, '\n').replace(/\\([\\;,])/g, '$1');

describe('iCalendar feed', () => {
  it('escapes TEXT and folds at 75 octets without cutting a character', () => {
    expect(escapeIcsText('a\\b;c,d\r\ne\nf\u0007')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    const folded = foldIcsLine(`SUMMARY:${'é'.repeat(100)}`);
    const parts = folded.split('\r\n');
    expect(parts.every((p) => Buffer.byteLength(p) <= 75)).toBe(true);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(`SUMMARY:${'é'.repeat(100)}`);
  });

  it("serves the member's appointments as RFC 5545, and stops serving a rotated or revoked URL", async () => {
    const t = await tenant('Agence, Bordeaux');
    const rep = await t.addMember('sales', 'Rémi');
    const now = new Date('2026-06-15T10:00:00Z');
    const clock = () => now;
    expect(await t.run((deps) => getMyCalendarFeed(deps), rep)).toEqual({ active: false, createdAt: null });
    const feed = await t.run((deps) => rotateMyCalendarFeed(deps), rep, now);
    expect(feed.token).toMatch(new RegExp(`^${t.tenantId}\\.[\\w-]{43}$`));
    expect(feed.path).toBe(`/calendar/${feed.token}.ics`);
    expect((await t.run((deps) => getMyCalendarFeed(deps), rep)).active).toBe(true);
    const stored = await t.run(({ tx }) => tx.calendarFeed.findMany({ where: { userId: rep.userId } }));
    expect(JSON.stringify(stored)).not.toContain(feed.token.split('.')[1]); // only the hash is kept

    const long = 'Présentation de l’offre « Électricité verte », tarifs; conditions\\options, et questions diverses du client';
    const visit = (await t.create({
      title: long,
      startsAt: '2026-06-20T14:30',
      endsAt: '2026-06-20T15:30',
      location: '5, rue des Lilas; Bordeaux',
      notes: 'Ligne 1\nLigne 2',
      attendeeUserIds: [rep.userId],
      reminderMinutes: 15,
    })).appointment!;
    const dropped = (await t.create({ title: 'Annulé', startsAt: '2026-06-21T09:00', endsAt: '2026-06-21T10:00', ownerUserId: rep.userId }, rep)).appointment!;
    await t.run((deps) => cancelAppointment(deps, { appointmentId: dropped.id }));
    await t.create({ title: 'Trop ancien', startsAt: '2026-04-01T09:00', endsAt: '2026-04-01T10:00', ownerUserId: rep.userId }, rep);
    await t.create({ title: 'Sans Rémi', startsAt: '2026-06-20T09:00', endsAt: '2026-06-20T10:00' });

    const ics = await readCalendarFeed({ db: t.auth.db, clock }, feed.token);
    expect(ics).not.toBeNull();
    const { root, prop } = parseIcs(ics!);
    const [calendar] = root.children;
    expect(calendar!.name).toBe('VCALENDAR');
    expect(prop(calendar!, 'VERSION')).toBe('2.0');
    expect(prop(calendar!, 'PRODID')).toBeTruthy();
    expect(prop(calendar!, 'CALSCALE')).toBe('GREGORIAN');
    expect(unescape(prop(calendar!, 'X-WR-CALNAME')!)).toBe('Rendez-vous Rémi (Agence, Bordeaux)');
    const events = calendar!.children;
    expect(events.map((e) => e.name)).toEqual(['VEVENT', 'VEVENT']);
    expect(events.map((e) => unescape(prop(e, 'SUMMARY')!))).toEqual([long, 'Annulé']);

    const [event, cancelled] = events as [(typeof events)[number], (typeof events)[number]];
    expect(prop(event, 'UID')).toBe(`${visit.id}@crm`);
    expect(prop(event, 'DTSTART')).toBe('20260620T123000Z');
    expect(prop(event, 'DTEND')).toBe('20260620T133000Z');
    expect(prop(event, 'DTSTAMP')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(unescape(prop(event, 'LOCATION')!)).toBe('5, rue des Lilas; Bordeaux');
    expect(unescape(prop(event, 'DESCRIPTION')!)).toBe('Participants : Owner Test, Rémi\nLigne 1\nLigne 2');
    expect(prop(event, 'SEQUENCE')).toBe('0');
    expect(prop(event, 'STATUS')).toBe('CONFIRMED');
    expect(event.children.map((c) => [c.name, prop(c, 'ACTION'), prop(c, 'TRIGGER')])).toEqual([['VALARM', 'DISPLAY', '-PT15M']]);
    expect(prop(cancelled, 'STATUS')).toBe('CANCELLED');
    expect(prop(cancelled, 'SEQUENCE')).toBe('1');
    expect(cancelled.children).toEqual([]);
    expect(ics).toContain('SUMMARY:Présentation de l’offre « Électricité verte »\\, tarifs\\; conditions\\\\'.slice(0, 40));

    // Rotating replaces the URL: the old one is unknown from now on.
    const next = await t.run((deps) => rotateMyCalendarFeed(deps), rep);
    expect(await readCalendarFeed({ db: t.auth.db, clock }, feed.token)).toBeNull();
    expect(await readCalendarFeed({ db: t.auth.db, clock }, next.token)).toContain('BEGIN:VCALENDAR');
    // The secret proves the feed only in its own tenant; malformed tokens are unknown.
    const other = await tenant('Autre');
    expect(await readCalendarFeed({ db: t.auth.db, clock }, `${other.tenantId}.${next.token.split('.')[1]}`)).toBeNull();
    expect(await readCalendarFeed({ db: t.auth.db, clock }, 'nonsense')).toBeNull();
    expect(await readCalendarFeed({ db: t.auth.db, clock }, `${t.tenantId}.`)).toBeNull();
    // A member who leaves loses the feed.
    await t.run(({ tx }) => tx.membership.delete({ where: { id: rep.memberId } }));
    expect(await readCalendarFeed({ db: t.auth.db, clock }, next.token)).toBeNull();
  });
});

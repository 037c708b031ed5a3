import { rm } from 'node:fs/promises';
import { withTenant } from '@crm/db';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bindHandlerDeps,
  createClient,
  emitEvent,
  getClientTimeline,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  listMailLog,
  LocalDiskStorage,
  resendMail,
  setNotificationPreference,
  updateOrganisation,
  ZClientTimelineInput,
  ZCreateClientInput,
  ZListMailLogInput,
  ZUpdateOrganisationInput,
  type DomainError,
  type EventEnvelope,
  type EventType,
} from '../src/index.ts';
import { contractTenant } from './contract-fixtures.ts';
import { uniqueEmail } from './harness.ts';

// The seed events' email, notifications and documents consumers (issue 15), run as the worker
// runs them (handleEventOnce: the handler and its "processed" record in one transaction).

const storage = LocalDiskStorage.temporary('crm-seed-subscribers-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));
const NOW = new Date('2026-03-10T14:00:00Z');

async function tenant(name?: string) {
  const t = await contractTenant(storage, name);
  const tenantId = t.owner.tenantId;
  const bound = (consumer: string) => bindHandlerDeps(handlerOf(consumer)!, handlerDepsFactory({ storage, clock: () => NOW }));
  const deliver = (consumer: string, event: EventEnvelope) => handleEventOnce(t.auth.db, bound(consumer), event);
  const eventOf = async (type: EventType, where: Record<string, unknown> = {}): Promise<EventEnvelope> => {
    const row = await t.run(({ tx }) => tx.outboxEvent.findFirstOrThrow({ where: { type, ...where }, orderBy: { occurredAt: 'desc' } }));
    return { id: row.id, type, tenantId, occurredAt: row.occurredAt.toISOString(), payload: row.payload as never };
  };
  const emit = <T extends EventType>(type: T, payload: EventEnvelope<T>['payload']) => t.run(({ tx }) => emitEvent(tx, { type, tenantId, payload }));
  const mails = () => t.run(({ tx }) => tx.outgoingEffect.findMany({ orderBy: { id: 'asc' } }));
  const setEmail = (clientId: string, email: string | null) => t.run(({ tx }) => tx.client.update({ where: { id: clientId }, data: { email } }));
  const setWelcome = (on: boolean) => t.run((deps) => updateOrganisation(deps, ZUpdateOrganisationInput.parse({ welcomeMailEnabled: on })));
  return { ...t, tenantId, deliver, eventOf, emit, mails, setEmail, setWelcome };
}

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

describe('the email consumer', () => {
  it('sends the welcome mail only where the organisation enables it, to a client with an address, once', async () => {
    const t = await tenant();
    const create = async (email: string | null) => {
      const { client } = await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'person', firstName: 'Jean', lastName: 'Dupont', ...(email ? { email } : {}), ignoreDuplicates: true })));
      return t.eventOf('client.created', { payload: { path: ['clientId'], equals: client!.id } });
    };
    const off = await create('jean.off@example.test');
    expect(await t.deliver('email', off)).toBe('handled');
    expect(await t.mails()).toEqual([]);

    expect((await t.setWelcome(true)).welcomeMailEnabled).toBe(true);
    const noAddress = await create(null);
    await t.deliver('email', noAddress);
    expect(await t.mails()).toEqual([]);

    // A client brought by an import gets none (nor a notification): the import is one action.
    const imported = await create('jean.importe@example.test');
    const importedEvent = { ...imported, id: '0190e2a0-0000-7000-8000-0000000000aa', payload: { ...(imported.payload as object), imported: true } } as EventEnvelope;
    expect(await t.deliver('email', importedEvent)).toBe('handled');
    expect(await t.deliver('notifications', importedEvent)).toBe('handled');
    expect(await t.mails()).toEqual([]);
    expect(await t.run(({ tx }) => tx.notification.count())).toBe(0);

    const on = await create('jean.on@example.test');
    expect(await t.deliver('email', on)).toBe('handled');
    expect(await t.deliver('email', on)).toBe('duplicate');
    const [mail, ...others] = await t.mails();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ recipient: 'jean.on@example.test', template: 'client.welcome', subject: 'Bienvenue chez Société Test', status: 'queued', createdBy: 'system:email', idempotencyKey: `client.welcome:${on.id}` });
    expect(mail!.clientId).toBe((on.payload as { clientId: string }).clientId);
    expect(mail!.textBody).toContain('Bonjour Jean Dupont');
    expect(mail!.htmlBody).toMatch(/^<!doctype html>.*<p>Bonjour Jean Dupont/);
  });

  it('sends the signed contract copy with its stored PDF attached, after the documents consumer kept it, once', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    await t.setEmail(sent.client.id, 'jean.dupont@example.test');
    await t.sign(sent.id, { now: NOW, storeDocument: false });
    const signed = await t.signedEvent(sent.id);
    // Not stored yet: the email consumer waits (the event is tried again), nothing is queued.
    await expect(t.deliver('email', signed)).rejects.toThrow(/not stored yet/);
    expect(await t.mails()).toEqual([]);

    expect(await t.deliver('documents', signed)).toBe('handled');
    expect(await t.deliver('email', signed)).toBe('handled');
    expect(await t.deliver('email', signed)).toBe('duplicate');
    const documents = await t.run(({ tx }) => tx.document.findMany({ where: { contractId: sent.id } }));
    const [mail, ...others] = await t.mails();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ recipient: 'jean.dupont@example.test', template: 'contract.signed_copy', subject: `Votre contrat ${sent.number} signé`, attachments: [documents[0]!.id], clientId: sent.client.id });
    expect(mail!.textBody).toContain(`Vous avez signé le contrat ${sent.number} le 10/03/2026`);
    expect(mail!.textBody).toContain('rétractation de 14 jours');
  });

  it('sends the rejection notice to the debtor: amount, date, the reason in French, what comes next, no fees, once', async () => {
    const t = await tenant();
    const client = await t.person('Martin', 'Claire');
    await t.setEmail(client.id, 'claire.martin@example.test');
    const event = await t.emit('payment.rejected', {
      paymentId: '0190e2a0-0000-7000-8000-000000000001',
      clientId: client.id,
      contractId: null,
      amountCents: 4_990,
      reasonCode: 'AM04',
      reasonCategory: 'insufficient_funds',
      rTransaction: 'reject',
      rejectedOn: '2026-03-09',
    });
    expect(await t.deliver('email', event)).toBe('handled');
    expect(await t.deliver('email', event)).toBe('duplicate');
    const [mail, ...others] = await t.mails();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ recipient: 'claire.martin@example.test', template: 'payment.rejected_notice', subject: 'Prélèvement rejeté', clientId: client.id });
    const text = mail!.textBody.replace(/\s/g, ' ');
    expect(text).toContain('Le prélèvement de 49,90 € n’a pas pu être effectué : votre banque l’a rejeté le 09/03/2026');
    expect(text).toContain('Motif indiqué par la banque : Provision insuffisante (code AM04)');
    expect(text).toContain('pourra vous être présenté à nouveau');
    expect(text).not.toMatch(/frais|recouvrement|pénalit/i);
  });
});

describe('the notifications consumer', () => {
  it("tells the client's rep and the back office, minus who muted that type", async () => {
    const t = await tenant();
    const people = await withTenant(t.auth.db, t.tenantId, async (tx) => {
      const add = async (role: 'sales' | 'accountant' | 'viewer', name: string) => {
        const user = await tx.user.create({ data: { email: uniqueEmail(role), name, passwordHash: 'unused' } });
        await tx.membership.create({ data: { tenantId: t.tenantId, userId: user.id, role } });
        return user.id;
      };
      const rep = await add('sales', 'Rep Terrain');
      const accountant = await add('accountant', 'Anne Compta');
      const viewer = await add('viewer', 'Victor Lecture');
      const salesRep = await tx.salesRep.create({ data: { tenantId: t.tenantId, userId: rep, code: 'REP1', firstName: 'Rep', lastName: 'Terrain' } });
      return { rep, accountant, viewer, salesRepId: salesRep.id };
    });
    const { client } = await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'company', companyName: 'Garage Durand', salesRepId: people.salesRepId, ignoreDuplicates: true })));
    // The accountant does not want payment notifications.
    await withTenant(t.auth.db, t.tenantId, (tx) =>
      setNotificationPreference({ tx, now: NOW, actor: { userId: people.accountant, tenantId: t.tenantId, memberId: '00000000-0000-7000-8000-000000000000', role: 'accountant' } }, { type: 'payment.received', inApp: false }),
    );
    const created = await t.eventOf('client.created', { payload: { path: ['clientId'], equals: client!.id } });
    const received = await t.emit('payment.received', { paymentId: '0190e2a0-0000-7000-8000-000000000002', clientId: client!.id, contractId: null, amountCents: 12_000, receivedOn: '2026-03-05', method: 'transfer' });
    const rejected = await t.emit('payment.rejected', { paymentId: '0190e2a0-0000-7000-8000-000000000003', clientId: client!.id, contractId: null, amountCents: 4_990, reasonCode: 'AC04', reasonCategory: 'account_closed_or_blocked', rejectedOn: '2026-03-06' });
    for (const event of [created, received, rejected]) {
      expect(await t.deliver('notifications', event)).toBe('handled');
      expect(await t.deliver('notifications', event)).toBe('duplicate');
    }
    const rows = await t.run(({ tx }) => tx.notification.findMany({ orderBy: { createdAt: 'asc' }, select: { userId: true, type: true, title: true, body: true } }));
    const to = (type: string) => rows.filter((r) => r.type === type).map((r) => r.userId).sort();
    expect(to('client.created')).toEqual([t.owner.userId, people.rep, people.accountant].sort());
    expect(to('payment.received')).toEqual([t.owner.userId, people.rep].sort());
    expect(to('payment.rejected')).toEqual([t.owner.userId, people.rep, people.accountant].sort());
    expect(rows.find((r) => r.type === 'payment.rejected')!.body.replace(/\s/g, ' ')).toBe('Le prélèvement de 49,90 € de Garage Durand a été rejeté le 06/03/2026 (Compte clôturé).');
  });

  it('tells of a signed contract', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    await t.sign(sent.id, { now: NOW, storeDocument: false });
    expect(await t.deliver('notifications', await t.signedEvent(sent.id))).toBe('handled');
    const rows = await t.run(({ tx }) => tx.notification.findMany({ where: { type: 'contract.signed' } }));
    expect(rows.map((r) => [r.userId, r.body])).toEqual([[t.owner.userId, `DUPONT Jean a signé le contrat ${sent.number}.`]]);
  });
});

describe('the message log', () => {
  it('lists the tenant’s mail with search and keyset pages, resends only failed or uncertain ones (audited), and shows them on the timeline', async () => {
    const t = await tenant();
    const other = await tenant('Autre Société');
    const client = await t.person('Martin', 'Claire');
    await t.run(({ tx }) =>
      tx.outgoingEffect.createMany({
        data: [
          { tenantId: t.tenantId, recipient: 'a@example.test', subject: 'Avis A', textBody: 'a', template: 't', idempotencyKey: 'a', status: 'sent', clientId: client.id },
          { tenantId: t.tenantId, recipient: 'b@example.test', subject: 'Avis B', textBody: 'b', template: 't', idempotencyKey: 'b', status: 'failed', lastError: 'SMTP 550', clientId: client.id },
          { tenantId: t.tenantId, recipient: 'c@example.test', subject: 'Relevé C', textBody: 'c', template: 't', idempotencyKey: 'c', status: 'uncertain' },
        ],
      }),
    );
    await other.run(({ tx }) => tx.outgoingEffect.create({ data: { tenantId: other.tenantId, recipient: 'a@example.test', subject: 'Avis autre', textBody: 'x', template: 't', idempotencyKey: 'x', status: 'failed' } }));

    const list = (input: Record<string, unknown> = {}) => t.run((deps) => listMailLog(deps, ZListMailLogInput.parse(input)));
    const all = await list();
    expect(all.items.map((m) => m.subject)).toEqual(['Relevé C', 'Avis B', 'Avis A']);
    expect(all.items.map((m) => [m.status, m.resendable])).toEqual([['uncertain', true], ['failed', true], ['sent', false]]);
    expect((await list({ search: 'AVIS' })).items.map((m) => m.subject)).toEqual(['Avis B', 'Avis A']);
    expect((await list({ search: 'c@example' })).items.map((m) => m.subject)).toEqual(['Relevé C']);
    const first = await list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect((await list({ limit: 2, cursor: first.nextCursor })).items.map((m) => m.subject)).toEqual(['Avis A']);

    const [uncertain, failed, sent] = all.items;
    expect((await failure(t.run((deps) => resendMail(deps, { mailId: sent!.id })))).code).toBe('CONFLICT');
    const again = await t.run((deps) => resendMail(deps, { mailId: failed!.id }));
    expect(again).toMatchObject({ recipient: 'b@example.test', subject: 'Avis B', status: 'queued', resentFrom: failed!.id, clientId: client.id });
    // Once per failure: while the resend is on its way, no other.
    expect((await failure(t.run((deps) => resendMail(deps, { mailId: failed!.id })))).message).toBe('Ce courriel a déjà été renvoyé');
    await t.run((deps) => resendMail(deps, { mailId: uncertain!.id }));
    const rows = await t.mails();
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.resentFrom).map((r) => r.idempotencyKey).sort()).toEqual([`resend:${failed!.id}:1`, `resend:${uncertain!.id}:1`].sort());
    const audit = await t.run(({ tx }) => tx.auditLog.findMany({ where: { action: 'mail.resent' } }));
    expect(audit.map((a) => a.actorUserId)).toEqual([t.owner.userId, t.owner.userId]);

    // Another tenant sees none of it, and cannot resend it.
    expect((await other.run((deps) => listMailLog(deps, ZListMailLogInput.parse({})))).items.map((m) => m.subject)).toEqual(['Avis autre']);
    expect((await failure(other.run((deps) => resendMail(deps, { mailId: failed!.id })))).code).toBe('NOT_FOUND');

    // The client's timeline shows the mail written to it (the resend too).
    const timeline = await t.run((deps) => getClientTimeline(deps, ZClientTimelineInput.parse({ clientId: client.id })));
    expect(timeline.items.filter((e) => e.type === 'mail').map((e) => e.title)).toEqual(['Courriel : Avis B', 'Courriel : Avis B', 'Courriel : Avis A']);
  });
});

import { withTenant } from '@crm/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  agreePaymentPlan,
  bindHandlerDeps,
  createClient,
  emitEvent,
  formalNoticeData,
  formalNoticeParagraphs,
  getDunningCase,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  LocalDiskStorage,
  pauseDunningCase,
  resumeDunningCase,
  runDunningNight,
  runPendingDunningActions,
  updateDunningPlan,
  writeOffDunningCase,
  ZAgreePaymentPlanInput,
  ZCreateClientInput,
  type EventEnvelope,
  type EventType,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// Dunning on the real database: cases opened by unrecovered debits and overdue invoices, the
// nightly run (steps recorded once, mails queued, letters posted), payments that settle or
// re-plan, pauses and payment plans, B2B penalties and the 40 EUR once per invoice, the consumer
// hard rule down to the database's check, the handler's idempotency, and isolation.

const storage = LocalDiskStorage.temporary('crm-dunning-test');
type T = Awaited<ReturnType<typeof paymentsTenant>>;
let t: T;
let now = new Date('2026-03-02T09:00:00Z');
const day = () => now.toISOString().slice(0, 10);
const at = (iso: string) => {
  now = new Date(`${iso}T09:00:00Z`);
  t.setNow(now);
};

beforeAll(async () => {
  t = await paymentsTenant({ now });
  await t.run(({ tx }) =>
    tx.organisation.update({ where: { id: t.owner.tenantId }, data: { addressLine1: '10 rue de la Paix', postalCode: '75002', city: 'Paris', contactEmail: 'compta@societe.test' } }),
  );
});

const dunning = () => bindHandlerDeps(handlerOf('dunning')!, handlerDepsFactory({ storage, clock: () => now }));
const deliver = (event: EventEnvelope) => handleEventOnce(t.auth.db, dunning(), event);
const emit = <E extends EventType>(type: E, payload: EventEnvelope<E>['payload']) => t.run(({ tx }) => emitEvent(tx, { type, tenantId: t.owner.tenantId, payload }));
const night = () => t.run(({ tx }) => runDunningNight({ tx, tenantId: t.owner.tenantId, now, today: day() }));
const caseOf = (caseId: string) => t.run((deps) => getDunningCase({ ...deps, now }, { caseId }));
const liveCase = (clientId: string) => t.run(({ tx }) => tx.dunningCase.findFirstOrThrow({ where: { clientId, purpose: 'recovery' }, orderBy: { createdAt: 'desc' } }));

/** A client with a signed contract whose first debit the bank rejected (AC04), and its payment.unrecovered. */
async function rejectedDebit(kind: 'person' | 'company' = 'person', amountCents = 2_400) {
  const client = await t.client(kind);
  if (kind === 'person') await t.run(({ tx }) => tx.client.update({ where: { id: client.id }, data: { email: 'helene@example.test' } }));
  const { contract } = await t.signedContract({ clientId: client.id, consumer: kind === 'person' });
  const item = await t.run(async ({ tx }) => {
    const item = await tx.scheduleItem.create({
      data: { tenantId: t.owner.tenantId, contractId: contract.id, clientId: client.id, periodStart: new Date('2026-02-01'), periodEnd: new Date('2026-02-28'), dueDate: new Date('2026-02-05'), amountCents, paymentMethod: 'sepa_debit', status: 'rejected' },
    });
    return item;
  });
  const payment = await t.run(({ tx }) =>
    tx.payment.create({ data: { tenantId: t.owner.tenantId, scheduleItemId: item.id, contractId: contract.id, clientId: client.id, outcome: 'rejected', method: 'sepa_debit', amountCents, valueDate: new Date('2026-02-07'), reasonCode: 'AC04', reasonCategory: 'account_closed_or_blocked', rTransaction: 'reject' } }),
  );
  const event = await emit('payment.unrecovered', { paymentId: payment.id, clientId: client.id, contractId: contract.id, amountCents, reasonCode: 'AC04', attempts: 1, why: 'not_retryable', rejectedOn: '2026-02-07' });
  return { client, contract, item, payment, event };
}

async function received(d: { client: { id: string }; contract: { id: string }; item: { id: string } }, amountCents: number) {
  const payment = await t.run(({ tx }) =>
    tx.payment.create({ data: { tenantId: t.owner.tenantId, scheduleItemId: d.item.id, contractId: d.contract.id, clientId: d.client.id, outcome: 'received', method: 'transfer', amountCents, valueDate: new Date(`${day()}T00:00:00Z`) } }),
  );
  return emit('payment.received', { paymentId: payment.id, clientId: d.client.id, contractId: d.contract.id, amountCents, receivedOn: day(), method: 'transfer' });
}

describe('a rejected debit that will not go back to the bank', () => {
  it('opens one case, idempotently, runs its steps on their nights, and closes it when paid', { timeout: 60_000 }, async () => {
    at('2026-03-02');
    const d = await rejectedDebit();
    expect(await deliver(d.event)).toBe('handled');
    expect(await deliver(d.event)).toBe('duplicate');
    // The same debit announced again (a second event): claimed once.
    await deliver(await emit('payment.unrecovered', { ...d.event.payload, why: 'stopped' }));
    const kase = await liveCase(d.client.id);
    expect(kase).toMatchObject({ status: 'open', audience: 'b2c', level: 0 });
    const view = await caseOf(kase.id);
    expect(view.items).toHaveLength(1);
    expect(view.items[0]).toMatchObject({ amountCents: 2_400, indemnityCents: 0 });
    expect(view.steps[0]).toMatchObject({ state: 'next', on: '2026-03-05', channel: 'email' });

    at('2026-03-04');
    expect((await night()).steps).toBe(0);
    at('2026-03-05');
    const first = await night();
    expect(first).toMatchObject({ steps: 1, mails: 1 });
    expect((await night()).steps).toBe(0); // the same night again: nothing twice
    const mail = await t.run(({ tx }) => tx.outgoingEffect.findFirstOrThrow({ where: { idempotencyKey: `dunning:${kase.id}:1:1` } }));
    expect(mail).toMatchObject({ recipient: 'helene@example.test', clientId: d.client.id, template: 'dunning-reminder' });
    expect(mail.textBody).toContain('24,00');
    expect(mail.textBody).not.toMatch(/frais|pénalit|indemnit/i);
    const afterFirst = await caseOf(kase.id);
    expect(afterFirst.steps[0]).toMatchObject({ state: 'done', on: '2026-03-05' });
    expect(afterFirst.steps[1]).toMatchObject({ state: 'next', on: '2026-03-15' });

    // A part payment re-plans the rest (a new cycle from today), the full one closes the case.
    await deliver(await received(d, 1_000));
    const replanned = await caseOf(kase.id);
    expect(replanned).toMatchObject({ status: 'open', cycle: 2, level: 0 });
    expect(replanned.charges).toMatchObject({ outstandingCents: 1_400, penaltyCents: 0, indemnityCents: 0, feesCents: 0 });
    expect(replanned.steps[0]).toMatchObject({ state: 'next', on: '2026-03-08' });
    const paidEvent = await received(d, 1_400);
    await deliver(paidEvent);
    expect(await deliver(paidEvent)).toBe('duplicate');
    const closed = await caseOf(kase.id);
    expect(closed).toMatchObject({ status: 'closed_paid', closedOn: '2026-03-05' });
    expect(closed.timeline.map((e) => e.kind)).toEqual(['opened', 'item', 'step', 'payment', 'replanned', 'payment', 'closed']);
  });

  it('pauses on a dispute (no step runs), resumes on a new cycle, and can be written off', async () => {
    at('2026-03-02');
    const d = await rejectedDebit();
    await deliver(d.event);
    const kase = await liveCase(d.client.id);
    await t.run((deps) => pauseDunningCase({ ...deps, now }, { caseId: kase.id, note: 'Conteste le montant' }));
    expect((await failure(t.run((deps) => pauseDunningCase({ ...deps, now }, { caseId: kase.id, note: 'encore' })))).code).toBe('CONFLICT');
    at('2026-03-10');
    await night();
    expect((await caseOf(kase.id)).timeline.filter((e) => e.kind === 'step')).toHaveLength(0);
    await t.run((deps) => resumeDunningCase({ ...deps, now }, { caseId: kase.id }));
    expect(await caseOf(kase.id)).toMatchObject({ status: 'open', cycle: 2 });
    await t.run((deps) => writeOffDunningCase({ ...deps, now }, { caseId: kase.id, reason: 'Client insolvable' }));
    expect(await caseOf(kase.id)).toMatchObject({ status: 'closed_written_off', closedOn: '2026-03-10' });
    expect((await failure(t.run((deps) => resumeDunningCase({ ...deps, now }, { caseId: kase.id })))).code).toBe('CONFLICT');
  });

  it('follows a payment plan: instalments adding up to the rest, paid in order, the last one closes the case', async () => {
    at('2026-03-02');
    const d = await rejectedDebit('person', 3_000);
    await deliver(d.event);
    const kase = await liveCase(d.client.id);
    const bad = await failure(t.run((deps) => agreePaymentPlan({ ...deps, now }, ZAgreePaymentPlanInput.parse({ caseId: kase.id, instalments: [{ dueOn: '2026-04-01', amountCents: 1_000 }, { dueOn: '2026-03-01', amountCents: 1_000 }] }))));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['instalments', 'instalments.1.dueOn']);
    await t.run((deps) => agreePaymentPlan({ ...deps, now }, ZAgreePaymentPlanInput.parse({ caseId: kase.id, instalments: [{ dueOn: '2026-04-01', amountCents: 1_500 }, { dueOn: '2026-05-01', amountCents: 1_500 }] })));
    expect(await caseOf(kase.id)).toMatchObject({ status: 'paused', pauseReason: 'payment_plan' });
    at('2026-04-01');
    await deliver(await received(d, 1_500));
    const half = await caseOf(kase.id);
    expect(half.status).toBe('paused');
    expect(half.instalments.map((i) => i.paidCents)).toEqual([1_500, 0]);
    at('2026-05-01');
    await deliver(await received(d, 1_500));
    expect(await caseOf(kase.id)).toMatchObject({ status: 'closed_paid' });
  });
});

describe('formal notice by registered letter', () => {
  it('renders the notice, keeps it as a document and queues a registered letter with acknowledgement for the case', { timeout: 60_000 }, async () => {
    at('2026-03-02');
    const d = await rejectedDebit();
    await deliver(d.event);
    const kase = await liveCase(d.client.id);
    // Straight to the notice: a plan whose only step is the registered letter.
    await t.run((deps) =>
      updateDunningPlan({ ...deps, now }, { audience: 'b2c', name: 'Mise en demeure directe', active: true, steps: [{ delayDays: 0, delayFrom: 'previous', channel: 'registered_letter', subject: 'Mise en demeure', template: 'x', condition: null }] }),
    );
    expect((await night()).pending).toBe(1);
    const actions = await t.run(({ tx }) => runPendingDunningActions({ tx, tenantId: t.owner.tenantId, now, today: day(), storage }));
    expect(actions).toMatchObject({ done: 1, failed: 0 });
    const view = await caseOf(kase.id);
    expect(view.formalNoticeOn).toBe('2026-03-02');
    expect(view.letters).toHaveLength(1);
    expect(view.letters[0]).toMatchObject({ service: 'registered_with_ack', status: 'queued' });
    const document = await t.run(({ tx }) => tx.document.findFirstOrThrow({ where: { id: view.letters[0]!.documentId } }));
    expect(document).toMatchObject({ kind: 'dunning_letter', mimeType: 'application/pdf', clientId: d.client.id });
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.get(document.storageKey)) as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
    const text = formalNoticeParagraphs(await t.run(({ tx }) => formalNoticeData(tx, t.owner.tenantId, kase.id, day()))).join('\n');
    expect(text).toContain('mettons en demeure');
    expect(text).toContain('Aucuns frais de recouvrement');
    expect(text).not.toMatch(/Indemnité forfaitaire|Pénalités/);
    // Run again: nothing pending, no second letter.
    expect(await t.run(({ tx }) => runPendingDunningActions({ tx, tenantId: t.owner.tenantId, now, today: day(), storage }))).toMatchObject({ done: 0 });
  });
});

describe('B2B overdue invoices', () => {
  it('claims an overdue invoice once, with its 40 EUR once, and penalties from the dated table', async () => {
    at('2026-03-02');
    const client = await t.client('company');
    const invoice = await t.run(({ tx }) =>
      tx.invoice.create({
        data: { tenantId: t.owner.tenantId, kind: 'invoice', status: 'issued', series: 'b2b', number: `FB-${client.id.slice(-6)}`, clientId: client.id, buyerKind: 'business', paymentMethod: 'transfer', issueDate: new Date('2026-01-02'), dueDate: new Date('2026-02-01'), netCents: 100_000, vatCents: 20_000, grossCents: 120_000, snapshot: {}, snapshotSha256: 'test' },
      }),
    );
    expect((await night()).invoices).toBeGreaterThanOrEqual(1);
    await night();
    const items = await t.run(({ tx }) => tx.dunningCaseItem.findMany({ where: { invoiceId: invoice.id } }));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ audience: 'b2b', indemnityCents: 4_000 });
    const view = await caseOf(items[0]!.caseId);
    // 29 days (2026-02-02..03-02) at max(2.15 % + 10, 3 × 2.62 %) = 12.15 %.
    expect(view.charges).toMatchObject({ outstandingCents: 120_000, indemnityCents: 4_000, penaltyCents: Math.floor((120_000 * 1_215 * 29) / 10_000 / 365 + 0.5) });
    // Paid by a credit note and payments: invoice.paid closes the case.
    await t.run(({ tx }) => tx.invoice.update({ where: { id: invoice.id }, data: { paidCents: 120_000, status: 'paid' } }));
    await deliver(await emit('invoice.paid', { invoiceId: invoice.id, clientId: client.id, number: invoice.number!, paidCents: 120_000, paidOn: day() }));
    expect((await caseOf(items[0]!.caseId)).status).toBe('closed_paid');
  });

  it('refuses a recovery fee on a consumer item in the database itself', async () => {
    const d = await rejectedDebit();
    await deliver(d.event);
    const kase = await liveCase(d.client.id);
    const invoice = await t.run(({ tx }) =>
      tx.invoice.create({ data: { tenantId: t.owner.tenantId, kind: 'invoice', status: 'issued', series: 'b2c', number: `FC-${kase.id.slice(-6)}`, clientId: d.client.id, buyerKind: 'consumer', paymentMethod: 'transfer', issueDate: new Date('2026-01-02'), dueDate: new Date('2026-02-01'), netCents: 1_000, grossCents: 1_000, snapshot: {}, snapshotSha256: 'test' } }),
    );
    const insert = t.run(({ tx }) => tx.dunningCaseItem.create({ data: { tenantId: t.owner.tenantId, caseId: kase.id, audience: 'b2c', invoiceId: invoice.id, label: 'x', amountCents: 1_000, dueDate: new Date('2026-02-01'), indemnityCents: 4_000 } }));
    await expect(insert).rejects.toThrow(/dunning_case_items_consumer_fees_check|check constraint/);
  });
});

describe('commercial follow-ups', () => {
  it('opens tasks for the rep on a new prospect while no contract is signed', async () => {
    at('2026-03-02');
    await t.run((deps) =>
      updateDunningPlan({ ...deps, now }, {
        audience: 'prospect',
        name: 'Suivi',
        active: true,
        steps: [
          { delayDays: 2, delayFrom: 'opened', channel: 'task', subject: 'Appeler le prospect', template: 'Appeler {{client}}', condition: null },
          { delayDays: 10, delayFrom: 'opened', channel: 'task', subject: 'Relancer', template: 'Relancer {{client}}', condition: 'no_contract' },
        ],
      }),
    );
    const { client } = await t.run((deps) => createClient({ ...deps, now }, ZCreateClientInput.parse({ kind: 'company', companyName: 'Prospect SARL', ignoreDuplicates: true })));
    const event = await t.run(({ tx }) => tx.outboxEvent.findFirstOrThrow({ where: { type: 'client.created', clientId: client!.id } }));
    await deliver({ id: event.id, type: 'client.created', tenantId: t.owner.tenantId, occurredAt: event.occurredAt.toISOString(), payload: event.payload as EventEnvelope<'client.created'>['payload'] });
    const kase = await t.run(({ tx }) => tx.dunningCase.findFirstOrThrow({ where: { clientId: client!.id, purpose: 'commercial' } }));
    at('2026-03-04');
    expect((await night()).tasks).toBeGreaterThanOrEqual(1);
    const tasks = await t.run(({ tx }) => tx.activity.findMany({ where: { clientId: client!.id, kind: 'task' } }));
    expect(tasks.map((a) => a.subject)).toEqual(['Appeler le prospect']);
    expect(tasks[0]!.ownerUserId).toBe(t.owner.userId);
    // A contract signed before the follow-up: the case closes, no second task.
    await t.signedContract({ clientId: client!.id });
    at('2026-03-12');
    await night();
    expect((await t.run(({ tx }) => tx.dunningCase.findUniqueOrThrow({ where: { id: kase.id } }))).status).toBe('closed_done');
    expect(await t.run(({ tx }) => tx.activity.count({ where: { clientId: client!.id, kind: 'task' } }))).toBe(1);
  });
});

describe('isolation', () => {
  it('hides a case from another organisation: NOT_FOUND by id, nothing in its tables', async () => {
    at('2026-03-02');
    const d = await rejectedDebit();
    await deliver(d.event);
    const kase = await liveCase(d.client.id);
    const other = await newTenant(testAuthDeps(), 'Autre Société');
    const member = await withTenant(t.auth.db, other.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: other.userId } }));
    const actor = { userId: other.userId, tenantId: other.tenantId, memberId: member.id, role: 'owner' as const };
    const asOther = <R>(f: (deps: { tx: Parameters<Parameters<typeof withTenant>[2]>[0]; actor: typeof actor; now: Date }) => Promise<R>) => withTenant(t.auth.db, other.tenantId, (tx) => f({ tx, actor, now }));
    expect((await failure(asOther((deps) => getDunningCase(deps, { caseId: kase.id })))).code).toBe('NOT_FOUND');
    expect((await failure(asOther((deps) => pauseDunningCase(deps, { caseId: kase.id, note: 'x' })))).code).toBe('NOT_FOUND');
    expect(await asOther(({ tx }) => tx.dunningCase.count())).toBe(0);
    expect(await asOther(({ tx }) => tx.dunningCaseItem.count())).toBe(0);
    expect(await asOther(({ tx }) => tx.dunningCaseEntry.count())).toBe(0);
    // The other organisation's night touches nothing of ours.
    await asOther(({ tx }) => runDunningNight({ tx, tenantId: other.tenantId, now, today: day() }));
    expect((await caseOf(kase.id)).status).toBe('open');
  });
});

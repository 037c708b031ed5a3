import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  bindHandlerDeps,
  buildBatch,
  createClient,
  getOrganisation,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  ISSUE_DUE_INVOICES_JOB,
  LocalDiskStorage,
  PRE_NOTIFICATIONS_JOB,
  previewBatch,
  updateOrganisation,
  ZBatchDateInput,
  ZCreateClientInput,
  ZUpdateOrganisationInput,
  type EventEnvelope,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// The debtor's pre-notification on the real database: the first debit, a change of amount or
// date, no second notice for the same debit, the invoice mail as the notice, a task when the
// client has no address, the batch refusing debits not notified in time, the organisation's
// "the schedule is the notice" terms, and the daily job run twice.

type T = Awaited<ReturnType<typeof paymentsTenant>>;
const storage = LocalDiskStorage.temporary('crm-pre-notification-test');
const date = (collectionDate: string) => ZBatchDateInput.parse({ collectionDate });

/** Runs the daily job as the worker does, on `today` at 06:30 Paris. */
function runJob(t: T, today: string, payload: { contractId?: string } = {}) {
  const now = new Date(`${today}T05:30:00Z`);
  t.setNow(now);
  return withTenant(t.auth.db, t.owner.tenantId, (tx) =>
    PRE_NOTIFICATIONS_JOB.run(
      { tx, tenantId: t.owner.tenantId, now, today, timeZone: 'Europe/Paris', job: { id: 'j', kind: 'payments.pre_notifications', key: 'daily', attempt: 1, runAt: now }, storage },
      payload,
    ),
  ) as Promise<{ mailed: number; tasks: number; covered: number; deferred: number }>;
}

async function clientWith(t: T, email: string | null) {
  const { client } = await t.run((deps) =>
    createClient(deps, ZCreateClientInput.parse({ kind: 'person', firstName: 'Hélène', lastName: 'Lefèvre', ...(email ? { email } : {}), address: { line1: '5 rue des Lilas', postalCode: '33000', city: 'Bordeaux' }, ignoreDuplicates: true })),
  );
  return client!;
}

/** A monthly contract from 1 April 2026 for three months, debited on the 10th: 24,00 € on 10 April, 10 May, 10 June. */
async function aprilContract(t: T, email: string | null = 'helene@example.test') {
  const client = await clientWith(t, email);
  const { contract, event } = await t.signedContract({ clientId: client.id, startDate: '2026-04-01', durationMonths: 3, debitDay: 10 });
  await t.deliver(event);
  const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: contract.id }, orderBy: { periodStart: 'asc' } }));
  return { client, contract, items };
}

const item = (t: T, id: string) => t.run(({ tx }) => tx.scheduleItem.findUniqueOrThrow({ where: { id } }));
const notices = (t: T, clientId: string) =>
  t.run(({ tx }) => tx.outgoingEffect.findMany({ where: { template: 'sepa.pre_notification', clientId }, orderBy: { createdAt: 'asc' } }));

describe('SEPA pre-notification', () => {
  it('notifies the first debit within its notice days, once, and covers the next debits of the same amount and day', async () => {
    const t = await paymentsTenant({ scheduleIsNotice: false });
    const { client, contract, items } = await aprilContract(t);
    expect(items.map((i) => [i.dueDate.toISOString().slice(0, 10), i.amountCents])).toEqual([['2026-04-10', 2_400], ['2026-05-10', 2_400], ['2026-06-10', 2_400]]);
    // Signing scheduled the contract's own run of the job.
    expect(await t.run(({ tx }) => tx.timedJob.findFirst({ where: { kind: 'payments.pre_notifications', key: `contract:${contract.id}` } }))).toMatchObject({ payload: { contractId: contract.id } });

    // 2 March: 10 April is further than 14 + 7 days away, nothing leaves yet, and a batch refuses the debit.
    expect(await runJob(t, '2026-03-02', { contractId: contract.id })).toEqual({ mailed: 0, tasks: 0, covered: 0, deferred: 0 });
    const early = await t.run((deps) => previewBatch(deps, date('2026-04-10')));
    expect(early).toMatchObject({ itemCount: 0, notNotified: [{ id: items[0]!.id, reasons: ['Aucune pré-notification envoyée au débiteur'] }] });

    // 20 March: the notice of 10 April leaves, by mail, and is recorded on the item.
    expect(await runJob(t, '2026-03-20')).toEqual({ mailed: 1, tasks: 0, covered: 0, deferred: 0 });
    const [mail] = await notices(t, client.id);
    expect(mail).toMatchObject({ recipient: 'helene@example.test', subject: 'Prélèvement SEPA de 24,00\u00a0€ le 10/04/2026' });
    expect(mail!.textBody).toMatch(/Nous prélèverons 24,00\u00a0€ le 10\/04\/2026 sur votre compte FR14 •••• 2606, au titre du mandat RUM-\S+ \(identifiant créancier SEPA FR\S+\)/);
    expect(mail!.textBody).toContain('même jour de chaque mois');
    const first = await item(t, items[0]!.id);
    expect(first).toMatchObject({ noticeChannel: 'email', noticeAmountCents: 2_400, noticeEffectId: mail!.id, noticeTaskId: null });
    expect(first.noticeDueDate?.toISOString().slice(0, 10)).toBe('2026-04-10');
    expect(first.noticeSentAt).toEqual(new Date('2026-03-20T05:30:00Z'));

    // The job again, the same day and through the registered kind: nothing more.
    expect(await runJob(t, '2026-03-20')).toEqual({ mailed: 0, tasks: 0, covered: 0, deferred: 0 });
    expect(await notices(t, client.id)).toHaveLength(1);
    expect(await item(t, items[0]!.id)).toEqual(first);

    // Notified on 20 March, collectable from 3 April: the batch of 10 April takes it.
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-10')))).toMatchObject({ itemCount: 1, totalCents: 2_400, notNotified: [] });

    // 20 April: 10 May is 24,00 € on the 10th as announced: covered by the first notice, no mail.
    expect(await runJob(t, '2026-04-20')).toEqual({ mailed: 0, tasks: 0, covered: 1, deferred: 0 });
    expect(await notices(t, client.id)).toHaveLength(1);
    expect(await item(t, items[1]!.id)).toMatchObject({ noticeChannel: 'email', noticeEffectId: mail!.id, noticeSentAt: first.noticeSentAt, noticeAmountCents: 2_400 });
  });

  it('notifies again when the amount or the date changes, and a batch refuses a debit not notified in time, saying which and why', async () => {
    const t = await paymentsTenant({ scheduleIsNotice: false });
    const { client, items } = await aprilContract(t);
    await runJob(t, '2026-03-20');
    const april = items[0]!.id;

    // The amount changes: refused until the new notice leaves; then a second mail, with the new amount.
    await t.run(({ tx }) => tx.scheduleItem.update({ where: { id: april }, data: { amountCents: 3_000 } }));
    expect((await t.run((deps) => previewBatch(deps, date('2026-04-10')))).notNotified[0]!.reasons[0]).toBe(
      'Montant changé depuis la pré-notification (24,00\u00a0€ annoncés, 30,00\u00a0€ à prélever) : une nouvelle pré-notification part',
    );
    expect(await runJob(t, '2026-03-21')).toMatchObject({ mailed: 1 });
    expect((await notices(t, client.id)).map((m) => m.subject)).toEqual(['Prélèvement SEPA de 24,00\u00a0€ le 10/04/2026', 'Prélèvement SEPA de 30,00\u00a0€ le 10/04/2026']);
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-10')))).toMatchObject({ itemCount: 1, totalCents: 3_000 });

    // The date changes, late: the notice leaves on 5 April, 14 days before 19 April, not 15 April.
    await t.run(({ tx }) => tx.scheduleItem.update({ where: { id: april }, data: { dueDate: new Date('2026-04-15T00:00:00Z') } }));
    expect((await t.run((deps) => previewBatch(deps, date('2026-04-15')))).notNotified[0]!.reasons[0]).toBe(
      'Date changée depuis la pré-notification (annoncée pour le 10/04/2026) : une nouvelle pré-notification part',
    );
    expect(await runJob(t, '2026-04-05')).toMatchObject({ mailed: 1 });
    const late = await t.run((deps) => previewBatch(deps, date('2026-04-15')));
    expect(late).toMatchObject({ itemCount: 0, notNotified: [{ id: april, clientName: 'LEFÈVRE Hélène', amountCents: 3_000 }] });
    expect(late.notNotified[0]!.reasons).toEqual(['Pré-notification envoyée le 05/04/2026 : avec 14 jours de préavis, prélevable à partir du 19/04/2026']);
    const refused = await failure(t.run((deps) => buildBatch(deps, date('2026-04-15'))));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    expect(refused.message).toContain('LEFÈVRE Hélène, CT-2026-0001 : Pré-notification envoyée le 05/04/2026');
    // On 20 April the same debit goes, and the batch records nothing as refused.
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-20')));
    expect(batch).toMatchObject({ itemCount: 1, totalCents: 3_000, excludedCount: 0 });
  });

  it('takes the invoice mail that announced the debit as its notice, and sends no second one', async () => {
    const t = await paymentsTenant({ scheduleIsNotice: false });
    await t.run(({ tx }) =>
      tx.organisation.update({
        where: { id: t.owner.tenantId },
        data: { legalForm: 'SAS', siren: '443061841', vatNumber: 'FR64443061841', addressLine1: '10 rue de la Paix', postalCode: '75002', city: 'Paris', contactEmail: 'factures@example.test', shareCapitalCents: 1_000_000n, rcsCity: 'Paris', invoiceAutoIssue: true, invoiceNoticeDays: 14 },
      }),
    );
    const { client, items } = await aprilContract(t);
    // 20 March: the invoice will be issued 14 days ahead and carry the notice; the job waits for it.
    expect(await runJob(t, '2026-03-20')).toMatchObject({ mailed: 0, deferred: 1 });
    // 27 March: the invoice of 10 April is issued and mailed (the email group)...
    const now = new Date('2026-03-27T05:00:00Z');
    const issued = await withTenant(t.auth.db, t.owner.tenantId, (tx) =>
      ISSUE_DUE_INVOICES_JOB.run({ tx, tenantId: t.owner.tenantId, now, today: '2026-03-27', timeZone: 'Europe/Paris', job: { id: 'i', kind: 'invoices.issue_due', key: 'daily', attempt: 1, runAt: now }, storage }, {}),
    );
    expect(issued).toMatchObject({ issued: 1, incomplete: [] });
    const email = bindHandlerDeps(handlerOf('email')!, handlerDepsFactory({ storage, clock: () => now }));
    const created = (await t.outbox('invoice.created')).at(-1)!;
    await handleEventOnce(t.auth.db, email, { id: created.id, type: created.type, tenantId: created.tenantId, occurredAt: created.occurredAt.toISOString(), payload: created.payload } as EventEnvelope);
    const invoiceMail = await t.run(({ tx }) => tx.outgoingEffect.findFirstOrThrow({ where: { template: 'invoice.issued', clientId: client.id } }));
    // ...which is the debit's recorded notice: the job sends nothing more, and the batch takes it.
    expect(await item(t, items[0]!.id)).toMatchObject({ noticeChannel: 'invoice', noticeEffectId: invoiceMail.id, noticeAmountCents: 2_400, noticeSentAt: now });
    expect(await runJob(t, '2026-03-27')).toMatchObject({ mailed: 0 });
    expect(await notices(t, client.id)).toHaveLength(0);
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-10')))).toMatchObject({ itemCount: 1, notNotified: [] });
  });

  it('asks a person to post the notice when the client has no e-mail address, and counts it from the task done', async () => {
    const t = await paymentsTenant({ scheduleIsNotice: false });
    const { client, items } = await aprilContract(t, null);
    expect(await runJob(t, '2026-03-20')).toMatchObject({ mailed: 0, tasks: 1 });
    const recorded = await item(t, items[0]!.id);
    expect(recorded).toMatchObject({ noticeChannel: 'task', noticeSentAt: null, noticeAmountCents: 2_400 });
    const task = await t.run(({ tx }) => tx.activity.findUniqueOrThrow({ where: { id: recorded.noticeTaskId! } }));
    expect(task).toMatchObject({ kind: 'task', clientId: client.id, ownerUserId: t.owner.userId, doneAt: null });
    expect(task.subject).toBe('Envoyer par courrier la pré-notification du prélèvement de 24,00\u00a0€ du 10/04/2026');
    expect(await runJob(t, '2026-03-21')).toMatchObject({ tasks: 0 });
    expect((await t.run((deps) => previewBatch(deps, date('2026-04-10')))).notNotified[0]!.reasons).toEqual(['Pré-notification à envoyer par courrier : la tâche n’est pas encore faite']);
    await t.run(({ tx }) => tx.activity.update({ where: { id: task.id }, data: { doneAt: new Date('2026-03-22T10:00:00Z') } }));
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-10')))).toMatchObject({ itemCount: 1 });
  });

  it('needs no notice per debit where the terms make the schedule the notice, but still one for a re-presentation', async () => {
    const t = await paymentsTenant({ scheduleIsNotice: false });
    const update = (input: Record<string, unknown>) => t.run((deps) => updateOrganisation(deps, ZUpdateOrganisationInput.parse(input)));
    await update({ sepaScheduleIsNotice: true, sepaRepresentationNoticeDays: 5 });
    expect(await t.run((deps) => getOrganisation(deps))).toMatchObject({ sepaScheduleIsNotice: true, sepaRepresentationNoticeDays: 5 });
    expect(ZUpdateOrganisationInput.safeParse({ sepaRepresentationNoticeDays: 0 }).error?.issues[0]?.message).toBe('Préavis d’une nouvelle présentation : 1 jour au moins');
    const { client, contract, items } = await aprilContract(t);
    expect(await runJob(t, '2026-03-20')).toEqual({ mailed: 0, tasks: 0, covered: 0, deferred: 0 });
    expect(await t.run((deps) => previewBatch(deps, date('2026-04-10')))).toMatchObject({ itemCount: 1, notNotified: [] });

    // A re-presentation (the retry work writes it as attempt 2): its own notice, 5 days ahead here.
    const again = await t.run(({ tx }) =>
      tx.scheduleItem.create({
        data: { tenantId: t.owner.tenantId, contractId: contract.id, clientId: client.id, mandateId: items[0]!.mandateId, periodStart: items[0]!.periodStart, periodEnd: items[0]!.periodEnd, dueDate: new Date('2026-04-24T00:00:00Z'), amountCents: 2_400, paymentMethod: 'sepa_debit', attempt: 2, originalItemId: items[0]!.id },
      }),
    );
    expect((await t.run((deps) => previewBatch(deps, date('2026-04-24')))).notNotified.map((i) => [i.id, i.reasons[0]])).toEqual([[again.id, 'Aucune pré-notification envoyée au débiteur']]);
    expect(await runJob(t, '2026-04-15')).toMatchObject({ mailed: 1 });
    const [mail] = await notices(t, client.id);
    expect(mail!.textBody).toContain('il sera présenté à nouveau');
    t.setNow(new Date('2026-04-17T09:00:00Z'));
    expect((await t.run((deps) => previewBatch(deps, date('2026-04-24')))).items.map((i) => i.id)).toContain(again.id);
  });
});

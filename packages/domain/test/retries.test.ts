import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  bindHandlerDeps,
  buildBatch,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  importBankReturns,
  NO_DOCUMENT_STORAGE,
  PRE_NOTIFICATIONS_JOB,
  amendMandate,
  listRejects,
  mailClientOnEvent,
  representNow,
  requestBankDetails,
  retryOnEvent,
  stopRetry,
  ZAmendMandateInput,
  ZBatchDateInput,
  ZListRejectsInput,
  type EventEnvelope,
} from '../src/index.ts';
import { paymentsTenant } from './payments-fixtures.ts';

// The retries consumer on the real database: every reason category, MS03 per the organisation,
// the number of attempts, one re-presentation per rejection whatever the deliveries, the reject
// fee only when the contract and the organisation both say so, and the batch builder taking the
// re-presentation on its date with RCUR and a new EndToEndId.

const bytes = (text: string) => new TextEncoder().encode(text);
const csv = (...rows: string[]) => bytes(['end_to_end_id;status;reason_code;amount;date', ...rows].join('\n'));
const REJECTED_ON = '2026-04-08';

async function tenant(settings: { ms03?: boolean; maxAttempts?: number; feeEnabled?: boolean; rule?: string } = {}) {
  const t = await paymentsTenant({ now: new Date(`${REJECTED_ON}T09:00:00Z`) });
  await t.run(({ tx }) =>
    tx.organisation.update({
      where: { id: t.owner.tenantId },
      data: {
        sepaMs03InsufficientFunds: settings.ms03 ?? false,
        retryMaxAttempts: settings.maxAttempts ?? 2,
        retryRejectFeeEnabled: settings.feeEnabled ?? false,
        retryPaydayRule: settings.rule ?? 'after_first_of_month',
      },
    }),
  );
  const retries = bindHandlerDeps(handlerOf('retries')!, handlerDepsFactory({ storage: NO_DOCUMENT_STORAGE, clock: () => new Date(`${REJECTED_ON}T09:00:00Z`) }));
  let e2e = 0;

  /** A contract's first items, submitted to the bank, then rejected by one return file with these codes (null: no code). */
  async function rejected(codes: (string | null)[], contractFields: { rejectFeeCents?: number } = {}) {
    const { contract, event } = await t.signedContract({ durationMonths: Math.max(codes.length, 1) });
    await t.deliver(event);
    if (contractFields.rejectFeeCents) await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { rejectFeeCents: contractFields.rejectFeeCents } }));
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: contract.id }, orderBy: { dueDate: 'asc' }, take: codes.length }));
    const ids: string[] = [];
    for (const item of items) {
      const endToEndId = `E2E-RETRY-${t.owner.tenantId.slice(-6)}-${++e2e}`;
      await t.run(({ tx }) => tx.scheduleItem.update({ where: { id: item.id }, data: { status: 'submitted', endToEndId, sequenceType: 'FRST' } }));
      ids.push(endToEndId);
    }
    return rejectAgain(ids, codes, contract.id);
  }

  async function rejectAgain(endToEndIds: string[], codes: (string | null)[], contractId: string) {
    await t.run((deps) =>
      importBankReturns(deps, { fileName: `r${++e2e}.csv`, bytes: csv(...endToEndIds.map((id, i) => `${id};rejected;${codes[i] ?? ''};;${REJECTED_ON}`)) }),
    );
    const events = (await t.outbox('payment.rejected')).map((row) => ({ id: row.id, type: row.type, tenantId: row.tenantId, occurredAt: row.occurredAt.toISOString(), payload: row.payload }) as EventEnvelope);
    const payments = await t.run(({ tx }) => tx.payment.findMany({ where: { contractId, outcome: 'rejected' }, include: { scheduleItem: true }, orderBy: { createdAt: 'asc' } }));
    const mine = events.filter((e) => payments.some((p) => p.id === (e.payload as { paymentId: string }).paymentId));
    return { contractId, payments, events: mine };
  }

  const deliver = (event: EventEnvelope) => handleEventOnce(t.auth.db, retries, event);
  const decisions = (contractId: string) => t.run(({ tx }) => tx.paymentRetry.findMany({ where: { contractId }, orderBy: { createdAt: 'asc' } }));
  const retryItems = (contractId: string) =>
    t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId, originalItemId: { not: null } }, orderBy: [{ kind: 'asc' }, { createdAt: 'asc' }] }));
  return { t, retries, rejected, rejectAgain, deliver, decisions, retryItems };
}

describe('the retries consumer', () => {
  it('re-presents AM04 on the payday after the earliest date, and hands every other category to dunning', async () => {
    const r = await tenant();
    const codes = ['AM04', 'AC04', 'MD01', 'MD06', 'FF01', 'MS03', 'ZZ99', null];
    const { contractId, payments, events } = await r.rejected(codes);
    expect(payments.map((p) => p.reasonCategory)).toEqual([
      'insufficient_funds',
      'account_closed_or_blocked',
      'mandate_problem',
      'debtor_refund_or_dispute',
      'technical',
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(events.map((e) => (e.payload as { attempt?: number }).attempt)).toEqual(codes.map(() => 1));
    for (const event of events) expect(await r.deliver(event)).toBe('handled');

    const decided = await r.decisions(contractId);
    expect(decided.map((d) => [d.decision, d.why])).toEqual([
      ['represent', null],
      ...codes.slice(1).map(() => ['unrecovered', 'not_retryable']),
    ]);
    const [item, ...others] = await r.retryItems(contractId);
    expect(others).toEqual([]);
    // Rejected on 8 April: 14 days' notice gives 22 April at the earliest; the first business day after 1 May (a Friday, closed) is Monday 4 May.
    expect(item).toMatchObject({ attempt: 2, kind: 'instalment', status: 'planned', originalItemId: payments[0]!.scheduleItemId, amountCents: payments[0]!.amountCents, endToEndId: null });
    expect(item!.dueDate.toISOString().slice(0, 10)).toBe('2026-05-04');
    expect(item!.mandateId).toBe(payments[0]!.scheduleItem!.mandateId);
    expect(decided[0]!.representedItemId).toBe(item!.id);

    const represented = await r.t.outbox('payment.represented');
    expect(represented.map((e) => e.payload)).toEqual([
      { paymentId: item!.id, originalPaymentId: payments[0]!.id, clientId: item!.clientId, contractId, amountCents: item!.amountCents, attempt: 2, collectionDate: '2026-05-04' },
    ]);
    const unrecovered = await r.t.outbox('payment.unrecovered');
    expect(unrecovered.map((e) => (e.payload as { paymentId: string; why: string }).paymentId)).toEqual(payments.slice(1).map((p) => p.id));
    expect(unrecovered[1]!.payload).toMatchObject({ why: 'not_retryable', attempts: 1, reasonCode: 'MD01', reasonCategory: 'mandate_problem', rejectedOn: REJECTED_ON });

    // The batch for that date takes it, as a recurring debit with an EndToEndId of its own, once
    // the debtor was told of it (a re-presentation has its own pre-notification).
    await r.t.run(({ tx }) => tx.client.update({ where: { id: item!.clientId }, data: { email: 'helene.lefevre@example.test' } }));
    const preNotifiedAt = new Date('2026-04-15T05:30:00Z');
    r.t.setNow(preNotifiedAt);
    const noticeRun = await withTenant(r.t.auth.db, r.t.owner.tenantId, (tx) =>
      PRE_NOTIFICATIONS_JOB.run(
        { tx, tenantId: r.t.owner.tenantId, now: preNotifiedAt, today: '2026-04-15', timeZone: 'Europe/Paris', job: { id: 'j', kind: 'payments.pre_notifications', key: 'daily', attempt: 1, runAt: preNotifiedAt }, storage: NO_DOCUMENT_STORAGE },
        {},
      ),
    );
    expect(noticeRun).toMatchObject({ mailed: 1 });
    r.t.setNow(new Date('2026-04-15T09:00:00Z'));
    const batch = await r.t.run((deps) => buildBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-05-04' })));
    const again = await r.t.run(({ tx }) => tx.scheduleItem.findUniqueOrThrow({ where: { id: item!.id } }));
    expect(again).toMatchObject({ status: 'batched', batchId: batch.id, sequenceType: 'RCUR' });
    expect(again.endToEndId).not.toBe(payments[0]!.scheduleItem!.endToEndId);
  });

  it('re-presents MS03 when the organisation says its bank means insufficient funds by it', async () => {
    const r = await tenant({ ms03: true, rule: 'after_month_end' });
    const { contractId, events } = await r.rejected(['MS03']);
    await r.deliver(events[0]!);
    expect((await r.decisions(contractId)).map((d) => d.decision)).toEqual(['represent']);
    // After the month end: the last business day of April is Thursday 30, 1 May is closed: Monday 4 May.
    expect((await r.retryItems(contractId))[0]!.dueDate.toISOString().slice(0, 10)).toBe('2026-05-04');
  });

  it('stops after two re-presentations: the third rejection is unrecovered, attempts exhausted', async () => {
    const r = await tenant();
    const first = await r.rejected(['AM04']);
    const contractId = first.contractId;
    let events = first.events;
    for (let attempt = 2; attempt <= 3; attempt++) {
      await r.deliver(events.at(-1)!);
      const latest = (await r.retryItems(contractId)).at(-1)!;
      expect(latest.attempt).toBe(attempt);
      const endToEndId = `E2E-AGAIN-${attempt}-${contractId.slice(-6)}`;
      await r.t.run(({ tx }) => tx.scheduleItem.update({ where: { id: latest.id }, data: { status: 'submitted', endToEndId, sequenceType: 'RCUR' } }));
      ({ events } = await r.rejectAgain([endToEndId], ['AM04'], contractId));
      expect((events.at(-1)!.payload as { attempt: number }).attempt).toBe(attempt);
    }
    await r.deliver(events.at(-1)!);
    const decided = await r.decisions(contractId);
    expect(decided.map((d) => [d.attempt, d.decision, d.why])).toEqual([
      [1, 'represent', null],
      [2, 'represent', null],
      [3, 'unrecovered', 'attempts_exhausted'],
    ]);
    expect((await r.t.outbox('payment.unrecovered')).at(-1)!.payload).toMatchObject({ why: 'attempts_exhausted', attempts: 3 });
  });

  it('re-presents nothing when the organisation allows no re-presentation', async () => {
    const r = await tenant({ maxAttempts: 0 });
    const { contractId, events } = await r.rejected(['AM04']);
    await r.deliver(events[0]!);
    expect((await r.decisions(contractId)).map((d) => d.why)).toEqual(['attempts_exhausted']);
    expect(await r.retryItems(contractId)).toEqual([]);
  });

  it('makes one re-presentation of an event delivered twice, or handled twice past its delivery record', async () => {
    const r = await tenant();
    const { contractId, events } = await r.rejected(['AM04']);
    expect(await r.deliver(events[0]!)).toBe('handled');
    expect(await r.deliver(events[0]!)).toBe('duplicate');
    // The handler itself, as a replay with another event id would run it.
    await r.t.run(({ tx }) => retryOnEvent(tx, { ...events[0]!, id: '01900000-0000-7000-8000-000000000001' }, { today: '2026-04-09', now: new Date(), timeZone: 'Europe/Paris', actor: { kind: 'system', tenantId: r.t.owner.tenantId, name: 'system:retries' }, storage: NO_DOCUMENT_STORAGE, queueMail: async () => {} }));
    expect(await r.retryItems(contractId)).toHaveLength(1);
    expect(await r.decisions(contractId)).toHaveLength(1);
    expect(await r.t.outbox('payment.represented')).toHaveLength(1);
  });

  it('adds the reject fee as its own debit only when the contract states one and the organisation enables it', async () => {
    const enabled = await tenant({ feeEnabled: true });
    const withFee = await enabled.rejected(['AM04'], { rejectFeeCents: 1_500 });
    const withoutFee = await enabled.rejected(['AM04']);
    for (const e of [...withFee.events, ...withoutFee.events]) await enabled.deliver(e);
    const [represented, fee] = await enabled.retryItems(withFee.contractId);
    expect(fee).toMatchObject({ kind: 'reject_fee', amountCents: 1_500, attempt: 1, originalItemId: represented!.originalItemId, status: 'planned' });
    expect(fee!.dueDate).toEqual(represented!.dueDate);
    expect((await enabled.decisions(withFee.contractId))[0]!.feeItemId).toBe(fee!.id);
    expect((await enabled.retryItems(withoutFee.contractId)).map((i) => i.kind)).toEqual(['instalment']);

    const disabled = await tenant({ feeEnabled: false });
    const stated = await disabled.rejected(['AM04'], { rejectFeeCents: 1_500 });
    await disabled.deliver(stated.events[0]!);
    expect((await disabled.retryItems(stated.contractId)).map((i) => i.kind)).toEqual(['instalment']);
  });

  it('decides a batch of events in one call like one by one', async () => {
    const r = await tenant();
    const { contractId, events } = await r.rejected(['AM04', 'AC04', 'AM04']);
    await r.t.run(({ tx }) => r.retries.handleMany!(tx, [...events, events[0]!]));
    expect((await r.decisions(contractId)).map((d) => d.decision)).toEqual(['represent', 'unrecovered', 'represent']);
    expect(await r.retryItems(contractId)).toHaveLength(2);
  });

  it('tells the debtor when the debit is presented again, or that it is not', async () => {
    const r = await tenant({ feeEnabled: true });
    const { contractId, events, payments } = await r.rejected(['AM04', 'AC04'], { rejectFeeCents: 1_250 });
    await r.t.run(({ tx }) => tx.client.update({ where: { id: payments[0]!.clientId }, data: { email: 'helene.lefevre@example.test' } }));
    // The notice is written before the retries consumer ran (consumers run independently): the same rules give the same date.
    const email = bindHandlerDeps({ consumer: 'email', types: ['payment.rejected'], handle: mailClientOnEvent }, handlerDepsFactory({ storage: NO_DOCUMENT_STORAGE, clock: () => new Date(`${REJECTED_ON}T09:00:00Z`) }));
    await handleEventOnce(r.t.auth.db, email, events[0]!);
    for (const event of events) await r.deliver(event);
    await handleEventOnce(r.t.auth.db, email, events[1]!);
    const mails = await r.t.run(({ tx }) => tx.outgoingEffect.findMany({ where: { template: 'payment.rejected_notice' }, orderBy: { createdAt: 'asc' } }));
    const [am04, ac04] = mails.map((m) => m.textBody.replace(/\s/g, ' '));
    expect(am04).toContain('Le prélèvement vous sera présenté à nouveau le 04/05/2026');
    expect(am04).toContain('Frais de rejet de prélèvement prévus à votre contrat : 12,50 €, prélevés séparément le même jour.');
    expect(am04).not.toMatch(/recouvrement|pénalit/i);
    expect(ac04).toContain('le montant n’est pas présenté à nouveau');
    expect((await r.decisions(contractId)).map((d) => d.decision)).toEqual(['represent', 'unrecovered']);
  });

  it('lets a person bring a re-presentation forward, stop it, and re-present a closed account once the mandate is amended', async () => {
    const r = await tenant();
    const { contractId, events, payments } = await r.rejected(['AM04', 'AC04', 'AM04']);
    for (const event of events) await r.deliver(event);
    const [am04, ac04, other] = payments;

    // The queue: reason in French, what comes next and when.
    const queue = await r.t.run((deps) => listRejects(deps, ZListRejectsInput.parse({})));
    const row = (id: string) => queue.items.find((i) => i.id === id)!;
    expect(row(am04!.id)).toMatchObject({ reasonLabel: 'Provision insuffisante (AM04)', next: { kind: 'represent', date: '2026-05-04', attempt: 2, itemStatus: 'planned' }, actions: { representNow: true, stop: true } });
    expect(row(ac04!.id)).toMatchObject({ reasonLabel: 'Compte clôturé (AC04)', categoryLabel: 'Compte clos, bloqué ou invalide', next: { kind: 'dunning', why: 'not_retryable' } });

    // Re-present now: the earliest date (14 days' notice from 8 April: Wednesday 22 April).
    const forward = await r.t.run((deps) => representNow(deps, { paymentId: am04!.id }));
    expect(forward.next).toMatchObject({ kind: 'represent', date: '2026-04-22' });
    expect((await r.retryItems(contractId)).filter((i) => i.originalItemId === am04!.scheduleItemId).map((i) => i.dueDate.toISOString().slice(0, 10))).toEqual(['2026-04-22']);

    // Stop: the planned re-presentation is cancelled, dunning is told.
    const stopped = await r.t.run((deps) => stopRetry(deps, { paymentId: other!.id }));
    expect(stopped.next).toEqual({ kind: 'dunning', why: 'stopped' });
    expect((await r.t.outbox('payment.unrecovered')).map((e) => (e.payload as { why: string }).why)).toEqual(['not_retryable', 'stopped']);
    await expect(r.t.run((deps) => stopRetry(deps, { paymentId: other!.id }))).rejects.toMatchObject({ code: 'CONFLICT' });

    // A closed account is not re-presented without new bank details; once the mandate is amended, it may be.
    await expect(r.t.run((deps) => representNow(deps, { paymentId: ac04!.id }))).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/nouvelles coordonnées/) });
    await r.t.run(({ tx }) => tx.client.update({ where: { id: ac04!.clientId }, data: { email: 'helene.lefevre@example.test' } }));
    const asked = await r.t.run((deps) => requestBankDetails(deps, { paymentId: ac04!.id }));
    expect(asked.bankDetailsRequestedAt).not.toBeNull();
    const request = await r.t.run(({ tx }) => tx.outgoingEffect.findFirstOrThrow({ where: { template: 'payment.bank_details_request' } }));
    expect(request.textBody).toContain('merci de nous communiquer les coordonnées du compte à débiter');
    await r.t.run(({ tx }) => tx.scheduleItem.updateMany({ where: { contractId, status: 'submitted' }, data: { status: 'paid' } }));
    await r.t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: ac04!.scheduleItem!.mandateId, iban: 'FR7630006000011234567890189' })));
    const again = await r.t.run((deps) => representNow(deps, { paymentId: ac04!.id }));
    expect(again.next).toMatchObject({ kind: 'represent', date: '2026-04-22', attempt: 2 });
    expect((await r.t.outbox('payment.represented')).map((e) => (e.payload as { attempt: number }).attempt)).toEqual([2, 2, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  activateContract,
  buildBatch,
  cancelBatch,
  catchUpDueDate,
  cutPeriodAt,
  getContractSchedule,
  previewBatch,
  resumeContract,
  suspendContract,
  terminateContract,
  ZBatchDateInput,
  type EventEnvelope,
} from '../src/index.ts';
import { paymentsTenant } from './payments-fixtures.ts';

// The fixture's contracts: monthly from 10 March 2026 for 12 months, 2 x 10.00 EUR HT at 20 %
// VAT (24.00 EUR a month), debited on the organisation's debit day (the 5th), 14 days' notice.
// Items: 10-31 March (17.03, due 5 April), April (24.00, due 5 April), May ... February 2027
// (24.00, due the 5th), 1-9 March 2027 (6.97, due 5 March).

const day = (d: Date) => d.toISOString().slice(0, 10);
const LINES = [{ quantity: 2, unitPriceCents: 1_000, vatRateBasisPoints: 2_000 }];

async function scheduleTenant() {
  const t = await paymentsTenant();
  const items = (contractId: string) =>
    t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId }, orderBy: [{ periodStart: 'asc' }, { id: 'asc' }] }));
  const rows = async (contractId: string) =>
    (await items(contractId)).map((i) => ({ period: `${day(i.periodStart)}..${day(i.periodEnd)}`, due: day(i.dueDate), amount: i.amountCents, status: i.status }));
  /** What contracts.terminate leaves, then the payments consumer's handling of its event. */
  const terminate = async (contract: { id: string; clientId: string }, endDate: string) => {
    await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { status: 'terminated', endDate: new Date(`${endDate}T00:00:00Z`) } }));
    const event = await t.emit('contract.terminated', { contractId: contract.id, clientId: contract.clientId, endDate });
    expect(await t.deliver(event)).toBe('handled');
    return event;
  };
  /** A resumption on `resumedOn` (Paris), as contracts.resume announces it, handled by the consumer. */
  const resume = async (contract: { id: string; clientId: string }, resumedOn: string) => {
    await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { status: 'active', suspendedAt: null } }));
    const event = await t.emit('contract.activated', { contractId: contract.id, clientId: contract.clientId, resumed: true });
    const dated = { ...event, occurredAt: `${resumedOn}T10:00:00.000Z` } as EventEnvelope;
    expect(await t.deliver(dated)).toBe('handled');
    return dated;
  };
  const setStatus = (contractId: string, periodStarts: string[], status: 'submitted' | 'paid') =>
    t.run(({ tx }) => tx.scheduleItem.updateMany({ where: { contractId, periodStart: { in: periodStarts.map((d) => new Date(`${d}T00:00:00Z`)) } }, data: { status } }));
  return { ...t, items, rows, terminate, resume, setStatus };
}

describe('terminating a contract inside a billing period', () => {
  it('prorates by days, as the first period is prorated, in integer cents', () => {
    // June cut on the 15th: 15/30 of 20.00 HT = 10.00, VAT 2.00.
    expect(cutPeriodAt({ periodStart: '2026-06-01', periodEnd: '2026-06-30', endDate: '2026-06-15', frequency: 'monthly', lines: LINES })).toEqual({ periodEnd: '2026-06-15', amountCents: 1_200 });
    // A first period already prorated (from the 10th) cut on the 20th: 11/31 of 20.00 = 7.0968 -> 7.10, VAT 1.42.
    expect(cutPeriodAt({ periodStart: '2026-03-10', periodEnd: '2026-03-31', endDate: '2026-03-20', frequency: 'monthly', lines: LINES })).toEqual({ periodEnd: '2026-03-20', amountCents: 852 });
    // A quarter (91 days) cut after 40 days: 8.7912 -> 8.79, VAT 1.758 -> 1.76.
    expect(cutPeriodAt({ periodStart: '2026-04-01', periodEnd: '2026-06-30', endDate: '2026-05-10', frequency: 'quarterly', lines: LINES })).toEqual({ periodEnd: '2026-05-10', amountCents: 1_055 });
    // Per line, half-up, then each line's VAT: 1 day of 31 of 0.99 (5.5 %) and of 3 x 12.34 (20 %).
    expect(
      cutPeriodAt({
        periodStart: '2026-01-01',
        periodEnd: '2026-01-31',
        endDate: '2026-01-01',
        frequency: 'monthly',
        lines: [
          { quantity: 1, unitPriceCents: 99, vatRateBasisPoints: 550 },
          { quantity: 3, unitPriceCents: 1_234, vatRateBasisPoints: 2_000 },
        ],
      }),
    ).toEqual({ periodEnd: '2026-01-01', amountCents: 3 + 0 + 119 + 24 });
    // Nothing to cut: the end is the period's last day or after it, before its start, or a one-off.
    expect(cutPeriodAt({ periodStart: '2026-06-01', periodEnd: '2026-06-30', endDate: '2026-06-30', frequency: 'monthly', lines: LINES })).toBeNull();
    expect(cutPeriodAt({ periodStart: '2026-06-01', periodEnd: '2026-06-30', endDate: '2026-05-31', frequency: 'monthly', lines: LINES })).toBeNull();
    expect(cutPeriodAt({ periodStart: '2026-03-10', periodEnd: '2027-03-09', endDate: '2026-06-15', frequency: 'one_off', lines: LINES })).toBeNull();
  });

  it('never raises the last item of a contract of whole periods, billed what its first period left', async () => {
    const t = await scheduleTenant();
    // 13 months from 12 January 2026: 20/31 of January, then 1-11 February 2027 billed 11/31 of a
    // month (what January left), less than 11 of February's 28 days would be.
    const { contract, event } = await t.signedContract({ startDate: '2026-01-12', durationMonths: 13 });
    await t.deliver(event);
    const before = await t.rows(contract.id);
    expect(before.at(-1)).toEqual({ period: '2027-02-01..2027-02-11', due: '2027-02-05', amount: 2_400 - before[0]!.amount, status: 'planned' });
    // Cut on the 10th: 10/28 of a month (857 cents) is more than the item's 852; it stays at most that.
    await t.terminate(contract, '2027-02-10');
    expect((await t.rows(contract.id)).at(-1)).toEqual({ period: '2027-02-01..2027-02-10', due: '2027-02-05', amount: 852, status: 'planned' });
  });

  it('prorates the planned item of the period, cancels the planned items after it, and leaves what the bank has', async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    // March and April were collected; May's debit was sent to the bank.
    await t.setStatus(contract.id, ['2026-03-10', '2026-04-01'], 'paid');
    await t.setStatus(contract.id, ['2026-05-01'], 'submitted');
    const terminated = await t.terminate(contract, '2026-06-15');
    const rows = await t.rows(contract.id);
    expect(rows.slice(0, 4)).toEqual([
      { period: '2026-03-10..2026-03-31', due: '2026-04-05', amount: 1_703, status: 'paid' },
      { period: '2026-04-01..2026-04-30', due: '2026-04-05', amount: 2_400, status: 'paid' },
      { period: '2026-05-01..2026-05-31', due: '2026-05-05', amount: 2_400, status: 'submitted' },
      { period: '2026-06-01..2026-06-15', due: '2026-06-05', amount: 1_200, status: 'planned' },
    ]);
    expect(rows.slice(4).map((r) => r.status)).toEqual(Array(9).fill('cancelled'));
    expect(rows.slice(4).map((r) => r.amount)).toEqual([...Array(8).fill(2_400), 697]);

    // Handled again (a redelivery under a new id): nothing moves.
    const again = await t.emit('contract.terminated', { contractId: contract.id, clientId: contract.clientId, endDate: '2026-06-15' });
    expect(await t.deliver(again)).toBe('handled');
    expect(await t.deliver(terminated)).toBe('duplicate');
    expect(await t.rows(contract.id)).toEqual(rows);
  });

  it('leaves an item sent to the bank as it is, and cuts the first period when the end falls in it', async () => {
    const t = await scheduleTenant();
    const sent = await t.signedContract();
    await t.deliver(sent.event);
    await t.setStatus(sent.contract.id, ['2026-06-01'], 'submitted');
    await t.terminate(sent.contract, '2026-06-15');
    expect((await t.rows(sent.contract.id))[3]).toEqual({ period: '2026-06-01..2026-06-30', due: '2026-06-05', amount: 2_400, status: 'submitted' });

    const early = await t.signedContract();
    await t.deliver(early.event);
    await t.terminate(early.contract, '2026-03-20');
    const rows = await t.rows(early.contract.id);
    expect(rows[0]).toEqual({ period: '2026-03-10..2026-03-20', due: '2026-04-05', amount: 852, status: 'planned' });
    expect(rows.slice(1).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('prorates quarters on the calendar quarter, and never a one-off contract', async () => {
    const t = await scheduleTenant();
    const quarterly = await t.signedContract({ billingFrequency: 'quarterly', startDate: '2026-01-01' });
    await t.deliver(quarterly.event);
    await t.terminate(quarterly.contract, '2026-05-10');
    expect((await t.rows(quarterly.contract.id)).map((r) => [r.period, r.amount, r.status])).toEqual([
      ['2026-01-01..2026-03-31', 2_400, 'planned'],
      ['2026-04-01..2026-05-10', 1_055, 'planned'],
      ['2026-07-01..2026-09-30', 2_400, 'cancelled'],
      ['2026-10-01..2026-12-31', 2_400, 'cancelled'],
    ]);

    const once = await t.signedContract({ billingFrequency: 'one_off' });
    await t.deliver(once.event);
    await t.terminate(once.contract, '2026-06-15');
    expect(await t.rows(once.contract.id)).toEqual([{ period: '2026-03-10..2027-03-09', due: '2026-04-05', amount: 2_400, status: 'planned' }]);
  });

  it('an item in a batch not yet sent is frozen with its file, and follows the termination when the batch is cancelled', async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    t.setNow(new Date('2026-05-20T09:00:00Z'));
    const batch = await t.run((deps) => buildBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-06-05' })));
    expect(batch.itemCount).toBe(4); // March, April, May, June
    await t.terminate(contract, '2026-06-15');
    const inBatch = await t.rows(contract.id);
    expect(inBatch[3]).toEqual({ period: '2026-06-01..2026-06-30', due: '2026-06-05', amount: 2_400, status: 'batched' });
    expect(inBatch.slice(4).every((r) => r.status === 'cancelled')).toBe(true);

    await t.run((deps) => cancelBatch(deps, { batchId: batch.id }));
    const after = await t.rows(contract.id);
    expect(after.slice(0, 4)).toEqual([
      { period: '2026-03-10..2026-03-31', due: '2026-04-05', amount: 1_703, status: 'planned' },
      { period: '2026-04-01..2026-04-30', due: '2026-04-05', amount: 2_400, status: 'planned' },
      { period: '2026-05-01..2026-05-31', due: '2026-05-05', amount: 2_400, status: 'planned' },
      { period: '2026-06-01..2026-06-15', due: '2026-06-05', amount: 1_200, status: 'planned' },
    ]);
    // The next batch collects the prorated amount.
    const preview = await t.run((deps) => previewBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-06-05' })));
    expect(preview.totalCents).toBe(1_703 + 2_400 + 2_400 + 1_200);
  });

  it("another tenant's event naming the contract changes nothing", async () => {
    const a = await scheduleTenant();
    const b = await scheduleTenant();
    const { contract, event } = await a.signedContract();
    await a.deliver(event);
    const before = await a.rows(contract.id);
    const forged = await b.emit('contract.terminated', { contractId: contract.id, clientId: contract.clientId, endDate: '2026-06-15' });
    expect(await b.deliver(forged)).toBe('handled');
    const resumed = await b.emit('contract.activated', { contractId: contract.id, clientId: contract.clientId, resumed: true });
    expect(await b.deliver({ ...resumed, occurredAt: '2026-06-25T10:00:00.000Z' })).toBe('handled');
    expect(await a.rows(contract.id)).toEqual(before);
    expect(await b.run(({ tx }) => tx.scheduleItem.count())).toBe(0);
  });
});

describe('resuming a suspended contract', () => {
  it('moves the held debits to the first debit day that can still be collected', () => {
    // Resumed Wednesday 17 June: earliest collection Wednesday 1 July (14 days, TARGET2 open);
    // the debit day, 5 July, is a Sunday collected on Monday 6 July: on or after the 1st, kept.
    expect(catchUpDueDate({ resumedOn: '2026-06-17', debitDay: 5, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-07-01', dueDate: '2026-07-05' });
    // Resumed Thursday 25 June: earliest Thursday 9 July, after July's debit day: 5 August.
    expect(catchUpDueDate({ resumedOn: '2026-06-25', debitDay: 5, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-07-09', dueDate: '2026-08-05' });
    // Two days' notice, debit day 20: earliest Friday 19 June; Saturday 20 June is collected Monday 22.
    expect(catchUpDueDate({ resumedOn: '2026-06-17', debitDay: 20, preNotificationDays: 2, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-06-19', dueDate: '2026-06-20' });
    // Christmas: 25 and 26 December are TARGET2 holidays, the 25th collected on Monday 28, after the earliest (24th).
    expect(catchUpDueDate({ resumedOn: '2026-12-10', debitDay: 25, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2026-12-24', dueDate: '2026-12-25' });
    // Across the year; a debit day past the month's end is its last day (Sunday 28 February 2027).
    expect(catchUpDueDate({ resumedOn: '2026-12-28', debitDay: 31, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2027-01-11', dueDate: '2027-01-31' });
    expect(catchUpDueDate({ resumedOn: '2027-01-20', debitDay: 31, preNotificationDays: 14, cutOffBusinessDays: 1 })).toEqual({ earliest: '2027-02-03', dueDate: '2027-02-28' });
  });

  it('gives the planned debits due before the earliest collection date the next debit day, leaving the rest', async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    await t.setStatus(contract.id, ['2026-03-10', '2026-04-01'], 'paid');
    const transfer = await t.signedContract({ paymentMethod: 'transfer' });
    await t.deliver(transfer.event);
    const transferBefore = await t.rows(transfer.contract.id);

    const resumed = await t.resume(contract, '2026-06-17');
    const rows = await t.rows(contract.id);
    expect(rows.slice(0, 6)).toEqual([
      { period: '2026-03-10..2026-03-31', due: '2026-04-05', amount: 1_703, status: 'paid' },
      { period: '2026-04-01..2026-04-30', due: '2026-04-05', amount: 2_400, status: 'paid' },
      // May and June were held: both on July's debit day, with July's own item, in period order.
      { period: '2026-05-01..2026-05-31', due: '2026-07-05', amount: 2_400, status: 'planned' },
      { period: '2026-06-01..2026-06-30', due: '2026-07-05', amount: 2_400, status: 'planned' },
      { period: '2026-07-01..2026-07-31', due: '2026-07-05', amount: 2_400, status: 'planned' },
      { period: '2026-08-01..2026-08-31', due: '2026-08-05', amount: 2_400, status: 'planned' },
    ]);
    expect(rows.slice(6).map((r) => r.due)).toEqual(['2026-09-05', '2026-10-05', '2026-11-05', '2026-12-05', '2027-01-05', '2027-02-05', '2027-03-05']);
    // Items paid by hand (here by transfer) were not held back: they keep their dates.
    await t.resume(transfer.contract, '2026-06-17');
    expect(await t.rows(transfer.contract.id)).toEqual(transferBefore);

    // A redelivery, or the same day handled again, moves nothing.
    expect(await t.deliver(resumed)).toBe('duplicate');
    await t.resume(contract, '2026-06-17');
    expect(await t.rows(contract.id)).toEqual(rows);

    // The batch of 6 July (notified 17 June) takes the catch-up and July together, in period order.
    t.setNow(new Date('2026-06-17T09:00:00Z'));
    const preview = await t.run((deps) => previewBatch(deps, ZBatchDateInput.parse({ collectionDate: '2026-07-06' })));
    expect(preview.items.filter((i) => i.contractId === contract.id).map((i) => i.periodStart)).toEqual(['2026-05-01', '2026-06-01', '2026-07-01']);
  });

  it("uses the contract's own debit day and notice, and leaves batched, sent and settled items alone", async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract({ debitDay: 20, preNotificationDays: 2 });
    await t.deliver(event);
    // Due 20 March (first period), 20 April, 20 May, 20 June...
    await t.setStatus(contract.id, ['2026-03-10'], 'paid');
    await t.setStatus(contract.id, ['2026-04-01'], 'submitted');
    await t.run(({ tx }) => tx.scheduleItem.updateMany({ where: { contractId: contract.id, periodStart: new Date('2026-05-01T00:00:00Z') }, data: { status: 'batched' } }));
    await t.resume(contract, '2026-06-17');
    expect((await t.rows(contract.id)).slice(0, 5).map((r) => [r.period.slice(0, 10), r.due, r.status])).toEqual([
      ['2026-03-10', '2026-03-20', 'paid'],
      ['2026-04-01', '2026-04-20', 'submitted'],
      ['2026-05-01', '2026-05-20', 'batched'],
      ['2026-06-01', '2026-06-20', 'planned'],
      ['2026-07-01', '2026-07-20', 'planned'],
    ]);

    // A late resumption (25 June, 2 days' notice: earliest Monday 29 June) sends June to 20 July.
    const late = await t.signedContract({ debitDay: 20, preNotificationDays: 2 });
    await t.deliver(late.event);
    await t.setStatus(late.contract.id, ['2026-03-10', '2026-04-01', '2026-05-01'], 'paid');
    await t.resume(late.contract, '2026-06-25');
    expect((await t.rows(late.contract.id)).slice(3, 5).map((r) => [r.period.slice(0, 10), r.due])).toEqual([
      ['2026-06-01', '2026-07-20'],
      ['2026-07-01', '2026-07-20'],
    ]);
  });

  it('a first activation (not a resumption) moves nothing', async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    const before = await t.rows(contract.id);
    const activated = await t.emit('contract.activated', { contractId: contract.id, clientId: contract.clientId });
    expect(await t.deliver({ ...activated, occurredAt: '2026-06-25T10:00:00.000Z' })).toBe('handled');
    expect(await t.rows(contract.id)).toEqual(before);
  });

  it('works from the contracts domain: activate, suspend, resume, then terminate inside a period', async () => {
    const t = await scheduleTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    const deliverAll = async (type: string) => {
      for (const row of await t.outbox(type)) {
        await t.deliver({ id: row.id, type: row.type, tenantId: row.tenantId, occurredAt: row.occurredAt.toISOString(), payload: row.payload } as EventEnvelope);
      }
    };
    await t.run((deps) => activateContract(deps, { contractId: contract.id }));
    await t.setStatus(contract.id, ['2026-03-10', '2026-04-01'], 'paid');
    t.setNow(new Date('2026-04-28T08:00:00Z'));
    await t.run((deps) => suspendContract(deps, { contractId: contract.id, reason: 'Litige' }));
    t.setNow(new Date('2026-06-25T08:00:00Z'));
    await t.run((deps) => resumeContract(deps, { contractId: contract.id }));
    await deliverAll('contract.activated');
    expect((await t.rows(contract.id)).slice(2, 6).map((r) => [r.period.slice(0, 10), r.due])).toEqual([
      ['2026-05-01', '2026-08-05'],
      ['2026-06-01', '2026-08-05'],
      ['2026-07-01', '2026-08-05'],
      ['2026-08-01', '2026-08-05'],
    ]);

    await t.run((deps) => terminateContract(deps, { contractId: contract.id, endDate: '2026-08-10', reason: 'Déménagement' }));
    await deliverAll('contract.terminated');
    const rows = await t.rows(contract.id);
    // 10 of August's 31 days: 6.4516 -> 6.45 HT, 1.29 VAT.
    expect(rows[5]).toEqual({ period: '2026-08-01..2026-08-10', due: '2026-08-05', amount: 774, status: 'planned' });
    expect(rows.slice(6).every((r) => r.status === 'cancelled')).toBe(true);
    const schedule = await t.run((deps) => getContractSchedule(deps, { contractId: contract.id }));
    expect(schedule.totals.plannedCents).toBe(3 * 2_400 + 774);
  });
});

import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activateContract,
  DEFAULT_MAX_DOCUMENT_BYTES,
  LocalDiskStorage,
  createContract,
  createProduct,
  getContractSchedule,
  planSchedule,
  sendContract,
  signContract,
  terminateContract,
  ZCreateContractInput,
  ZSignContractInput,
  type EventEnvelope,
} from '../src/index.ts';
import { DEBTOR_IBAN, paymentsTenant } from './payments-fixtures.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const storage = LocalDiskStorage.temporary('crm-schedule-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

describe('payment schedules', () => {
  it('plans calendar-aligned periods, prorating a partial first and last period by days', () => {
    const periods = planSchedule({
      startDate: '2026-03-10',
      durationMonths: 12,
      frequency: 'monthly',
      debitDay: 5,
      lines: [{ quantity: 2, unitPriceCents: 1_000, vatRateBasisPoints: 2_000 }],
    });
    expect(periods).toHaveLength(13);
    // 22 of March's 31 days: HT 2000 x 22/31 = 1419.35 -> 1419, VAT 283.8 -> 284.
    expect(periods[0]).toEqual({ periodStart: '2026-03-10', periodEnd: '2026-03-31', dueDate: '2026-04-05', amountCents: 1_703, prorated: true });
    expect(periods[1]).toEqual({ periodStart: '2026-04-01', periodEnd: '2026-04-30', dueDate: '2026-04-05', amountCents: 2_400, prorated: false });
    // Ends the day before the anniversary: 9 of March 2027's 31 days (580.65 -> 581 + 116).
    expect(periods[12]).toEqual({ periodStart: '2027-03-01', periodEnd: '2027-03-09', dueDate: '2027-03-05', amountCents: 697, prorated: true });
    expect(periods.slice(1, 12).every((p) => p.amountCents === 2_400)).toBe(true);
  });

  it('plans quarters on calendar quarters, a debit day past the month end meaning its last day', () => {
    const periods = planSchedule({
      startDate: '2026-01-01',
      durationMonths: 12,
      frequency: 'quarterly',
      debitDay: 31,
      lines: [{ quantity: 1, unitPriceCents: 9_999, vatRateBasisPoints: 550 }],
    });
    expect(periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.amountCents])).toEqual([
      ['2026-01-01', '2026-03-31', '2026-01-31', 10_549],
      ['2026-04-01', '2026-06-30', '2026-04-30', 10_549],
      ['2026-07-01', '2026-09-30', '2026-07-31', 10_549],
      ['2026-10-01', '2026-12-31', '2026-10-31', 10_549],
    ]);
  });

  it('on contract.signed creates the mandate and the planned items, once', async () => {
    const t = await paymentsTenant();
    const { contract, event } = await t.signedContract();
    expect(await t.deliver(event)).toBe('handled');
    expect(await t.deliver(event)).toBe('duplicate');

    const schedule = await t.run((deps) => getContractSchedule(deps, { contractId: contract.id }));
    expect(schedule.mandate).toMatchObject({ rum: 'RUM-2026-000001', status: 'active', scheme: 'CORE' });
    expect(schedule.items).toHaveLength(13);
    expect(schedule.items.every((i) => i.status === 'planned' && i.paymentMethod === 'sepa_debit')).toBe(true);
    // The debit day falls on Easter Sunday 2026: the due date stays the contractual calendar date.
    expect(schedule.items.slice(0, 2).map((i) => [i.dueDate, i.amountCents])).toEqual([['2026-04-05', 1_703], ['2026-04-05', 2_400]]);
    expect(schedule.totals.plannedCents).toBe(1_703 + 11 * 2_400 + 697);

    const mandate = await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: contract.id } }));
    expect(mandate).toMatchObject({ debtorName: 'Hélène Lefèvre', iban: DEBTOR_IBAN, bic: 'PSSTFRPPXXX', signedPlace: 'Bordeaux', recurrent: true });
    expect(day(mandate.signedOn)).toBe('2026-03-01');

    // Another delivery of a signature for the same contract (a new event id) adds nothing.
    const again = await t.emit('contract.signed', { contractId: contract.id, clientId: contract.clientId, salesRepId: null, signedAt: '2026-03-01T10:00:00.000Z' });
    expect(await t.deliver(again)).toBe('handled');
    expect(await t.run(({ tx }) => tx.scheduleItem.count({ where: { contractId: contract.id } }))).toBe(13);
    expect(await t.run(({ tx }) => tx.sepaMandate.count({ where: { contractId: contract.id } }))).toBe(1);

    // RUMs are numbered per tenant.
    const second = await t.signedContract();
    await t.deliver(second.event);
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: second.contract.id } }))).toMatchObject({ rum: 'RUM-2026-000002' });

    // A contract taken under the B2B scheme gets a B2B mandate.
    const b2b = await t.signedContract({ clientId: (await t.client('company')).id, consumer: false, sepaScheme: 'B2B' });
    expect(await t.deliver(b2b.event)).toBe('handled');
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: b2b.contract.id }, select: { scheme: true } }))).toEqual({ scheme: 'B2B' });
  });

  it('uses the contract debit day first, OOFF-style mandates for one-off contracts, no mandate for transfers', async () => {
    const t = await paymentsTenant();
    const own = await t.signedContract({ debitDay: 15, billingFrequency: 'half_yearly', startDate: '2026-01-01', durationMonths: 12 });
    await t.deliver(own.event);
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: own.contract.id }, orderBy: { periodStart: 'asc' } }));
    expect(items.map((i) => [day(i.periodStart), day(i.dueDate), i.amountCents])).toEqual([
      ['2026-01-01', '2026-01-15', 2_400],
      ['2026-07-01', '2026-07-15', 2_400],
    ]);

    const once = await t.signedContract({ billingFrequency: 'one_off', durationMonths: 0 });
    await t.deliver(once.event);
    const onceItems = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: once.contract.id } }));
    expect(onceItems).toHaveLength(1);
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: once.contract.id } }))).toMatchObject({ recurrent: false });

    const transfer = await t.signedContract({ paymentMethod: 'transfer', billingFrequency: 'yearly', startDate: '2026-01-01' });
    await t.deliver(transfer.event);
    const transferItems = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: transfer.contract.id } }));
    expect(transferItems).toHaveLength(1);
    expect(transferItems[0]).toMatchObject({ paymentMethod: 'transfer', mandateId: null, amountCents: 2_400 });
    expect(await t.run(({ tx }) => tx.sepaMandate.count({ where: { contractId: transfer.contract.id } }))).toBe(0);
  });

  it('terminating a contract cancels the planned items after its end; cancelling it cancels all planned items', async () => {
    const t = await paymentsTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { status: 'terminated', endDate: new Date('2026-06-30T00:00:00Z') } }));
    const terminated = await t.emit('contract.terminated', { contractId: contract.id, clientId: contract.clientId, endDate: '2026-06-30' });
    expect(await t.deliver(terminated)).toBe('handled');
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: contract.id }, orderBy: { periodStart: 'asc' } }));
    expect(items.filter((i) => i.status === 'planned').map((i) => day(i.periodStart))).toEqual(['2026-03-10', '2026-04-01', '2026-05-01', '2026-06-01']);
    expect(items.filter((i) => i.status === 'cancelled')).toHaveLength(9);

    const other = await t.signedContract();
    await t.deliver(other.event);
    const cancelled = await t.emit('contract.cancelled', { contractId: other.contract.id, clientId: other.contract.clientId, reason: 'Rétractation', withdrawn: true });
    await t.deliver(cancelled);
    expect(await t.run(({ tx }) => tx.scheduleItem.count({ where: { contractId: other.contract.id, status: { not: 'cancelled' } } }))).toBe(0);
  });

  it('works from the contracts domain: sign, then terminate', async () => {
    const t = await paymentsTenant({ now: new Date() });
    const client = await t.client();
    const product = await t.run((deps) =>
      createProduct(deps, { code: 'ABO', name: 'Abonnement', description: '', priceCents: 4_990, vatRateCode: 'NORMAL', billingFrequency: 'monthly', effectiveFrom: '2026-01-01' }),
    );
    const draft = await t.run((deps) =>
      createContract(deps, ZCreateContractInput.parse({ clientId: client.id, lines: [{ productId: product.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'sepa_debit', debtorIban: 'FR76 3000 6000 0112 3456 7890 189' })),
    );
    await t.run((deps) => sendContract(deps, { contractId: draft.id }));
    await t.run((deps) =>
      signContract({ ...deps, documents: { storage, maxBytes: DEFAULT_MAX_DOCUMENT_BYTES } }, ZSignContractInput.parse({ contractId: draft.id, signerName: 'Hélène Lefèvre', consent: true }), { ip: '203.0.113.7', userAgent: 'test' }),
    );
    const deliverAll = async (type: string) => {
      for (const row of await t.outbox(type)) {
        await t.deliver({ id: row.id, type: row.type, tenantId: row.tenantId, occurredAt: row.occurredAt.toISOString(), payload: row.payload } as EventEnvelope);
      }
    };
    await deliverAll('contract.signed');
    const schedule = await t.run((deps) => getContractSchedule(deps, { contractId: draft.id }));
    expect(schedule.items).toHaveLength(12);
    expect(schedule.items.every((i) => i.amountCents === 5_988)).toBe(true); // 49.90 + 20 % VAT
    expect(schedule.mandate).toMatchObject({ status: 'active' });
    const mandate = await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: draft.id } }));
    expect(mandate.iban).toBe('FR7630006000011234567890189');

    await t.run((deps) => activateContract(deps, { contractId: draft.id }));
    await t.run((deps) => terminateContract(deps, { contractId: draft.id, endDate: '2026-08-31' }));
    await deliverAll('contract.terminated');
    const after = await t.run((deps) => getContractSchedule(deps, { contractId: draft.id }));
    expect(after.items.filter((i) => i.status === 'planned').map((i) => i.periodStart)).toEqual(['2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01']);
  });

  it('another tenant neither sees the schedule nor its contract', async () => {
    const a = await paymentsTenant();
    const b = await paymentsTenant();
    const { contract, event } = await a.signedContract();
    await a.deliver(event);
    await expect(b.run((deps) => getContractSchedule(deps, { contractId: contract.id }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.run(({ tx }) => tx.scheduleItem.count())).toBe(0);
  });
});

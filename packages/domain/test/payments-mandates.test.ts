import { describe, expect, it } from 'vitest';
import {
  addDays,
  amendMandate,
  buildBatch,
  cancelBatch,
  earliestUsableLastUse,
  getBatchFile,
  isLapsedFor,
  listMandates,
  mandateLapseDate,
  markBatchSent,
  previewBatch,
  jobDeps,
  PAYMENTS_HOUSEKEEPING_JOB,
  ZAmendMandateInput,
  ZBatchDateInput,
  ZListMandatesInput,
} from '../src/index.ts';
import { failure, OTHER_IBAN, paymentsTenant } from './payments-fixtures.ts';

const date = (collectionDate: string) => ZBatchDateInput.parse({ collectionDate });
const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
// The hourly payments job of the tenant, run at `now` in its transaction as the job runner does.
const housekeeping = (t: Awaited<ReturnType<typeof paymentsTenant>>, now: Date) =>
  t.run(({ tx, actor }) =>
    PAYMENTS_HOUSEKEEPING_JOB.run(jobDeps(tx, actor.tenantId, now, { id: actor.tenantId, kind: PAYMENTS_HOUSEKEEPING_JOB.kind, key: 'hourly', attempt: 1, runAt: now }), {}),
  );
const mandates = (t: Awaited<ReturnType<typeof paymentsTenant>>, input: Record<string, unknown> = {}) =>
  t.run((deps) => listMandates(deps, ZListMandatesInput.parse(input))).then((page) => page.items);

describe('the 36 months of a mandate', () => {
  it('counts from the last use to the collection date: 36 months to the day is in time, a day more is not', () => {
    const signed = { signedOn: at('2023-03-02'), lastCollectionOn: null };
    expect(mandateLapseDate(signed)).toBe('2026-03-02');
    expect(isLapsedFor(signed, '2026-03-02')).toBe(false);
    expect(isLapsedFor(signed, '2026-03-03')).toBe(true);
    const used = { signedOn: at('2020-01-01'), lastCollectionOn: at('2024-02-29') };
    expect(mandateLapseDate(used)).toBe('2027-02-28');
    expect(isLapsedFor(used, '2027-02-28')).toBe(false);
    expect(isLapsedFor(used, '2027-03-01')).toBe(true);
  });

  it('the query bound says the same as the rule, on every day of 2026 to 2029', () => {
    const disagreements: string[] = [];
    for (let day = '2026-01-01'; day <= '2029-12-31'; day = addDays(day, 1)) {
      const bound = earliestUsableLastUse(day);
      for (let offset = -3; offset <= 3; offset++) {
        const lastUse = addDays(bound, offset);
        const byBound = lastUse < bound;
        if (byBound !== isLapsedFor({ signedOn: at(lastUse), lastCollectionOn: null }, day)) disagreements.push(`${day} ${lastUse}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('a batch leaves out the debits of a mandate lapsed by its collection date, not by today', async () => {
    const t = await paymentsTenant({ now: new Date('2026-02-10T09:00:00Z') });
    const { contract, event } = await t.signedContract({ startDate: '2026-02-01' });
    await t.deliver(event);
    // Signed three years before and never used: usable for collections up to 2 March 2026.
    await t.run(({ tx }) => tx.sepaMandate.updateMany({ where: { contractId: contract.id }, data: { signedOn: at('2023-03-02') } }));
    const late = await t.run((deps) => previewBatch(deps, date('2026-03-03')));
    expect(late.itemCount).toBe(0);
    expect(late.excluded).toEqual([
      expect.objectContaining({
        contractId: contract.id,
        dueDate: '2026-02-05',
        reasons: [
          "Mandat caduc à cette date : signé le 02/03/2023 et jamais utilisé, plus de 36 mois avant le 03/03/2026 (utilisable jusqu'au 02/03/2026) ; un nouveau mandat est nécessaire",
        ],
      }),
    ]);
    const inTime = await t.run((deps) => buildBatch(deps, date('2026-03-02')));
    expect(inTime).toMatchObject({ itemCount: 1, excludedCount: 0 });
    // Still active: the worker's pass marks it expired only once no collection date can use it.
    expect((await mandates(t))[0]).toMatchObject({ status: 'active' });
  });

  it('housekeeping expires a mandate the day after its last usable collection date, not on it', async () => {
    const t = await paymentsTenant();
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    await t.run(({ tx }) => tx.sepaMandate.updateMany({ where: { contractId: contract.id }, data: { lastCollectionOn: at('2023-05-31') } }));
    await housekeeping(t, new Date('2026-05-31T20:00:00Z')); // 31 May, 22:00 in Paris
    expect((await mandates(t))[0]).toMatchObject({ status: 'active', lastCollectionOn: '2023-05-31' });
    t.setNow(new Date('2026-05-31T20:00:00Z'));
    expect(await mandates(t, { status: 'active' })).toHaveLength(1);
    expect(await mandates(t, { status: 'expired' })).toHaveLength(0);
    await housekeeping(t, new Date('2026-05-31T22:30:00Z')); // 1 June in Paris
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: contract.id }, select: { status: true } }))).toEqual({ status: 'expired' });
  });
});

describe('amending a mandate', () => {
  it('refuses a change of scheme: a new mandate is needed (new RUM, new signature)', async () => {
    const t = await paymentsTenant();
    const company = await t.client('company');
    const { contract, event } = await t.signedContract({ clientId: company.id, consumer: false, sepaScheme: 'CORE' });
    await t.deliver(event);
    const [mandate] = await mandates(t);
    const refused = await failure(t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, scheme: 'B2B' }))));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { scheme: [expect.stringContaining('nouveau mandat')] } });
    expect(refused.message).toContain('nouvelle RUM');
    expect(await t.run(({ tx }) => tx.sepaMandate.findFirstOrThrow({ where: { contractId: contract.id }, select: { scheme: true, rum: true } }))).toEqual({ scheme: 'CORE', rum: mandate!.rum });
    // Naming the scheme it already has changes nothing and is no refusal.
    expect(await t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, scheme: 'CORE', debtorName: 'Garage Durand SARL' })))).toMatchObject({ scheme: 'CORE', debtorName: 'Garage Durand SARL' });
  });

  it('going back to the previous IBAN or RUM before the next collection leaves no amendment to announce', async () => {
    const t = await paymentsTenant();
    const { event } = await t.signedContract();
    await t.deliver(event);
    const [mandate] = await mandates(t);
    const amend = (fields: Record<string, string>) => t.run((deps) => amendMandate(deps, ZAmendMandateInput.parse({ mandateId: mandate!.id, ...fields })));
    expect(await amend({ iban: OTHER_IBAN, rum: 'RUM-NOUVELLE-1' })).toMatchObject({ pendingAmendment: true, originalIban: mandate!.iban, originalRum: mandate!.rum });
    expect(await amend({ iban: mandate!.iban, rum: mandate!.rum })).toMatchObject({ pendingAmendment: false, originalIban: null, originalRum: null });
    const batch = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    expect(batch).toMatchObject({ itemCount: 2, excludedCount: 0 });
    expect((await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml).not.toContain('<AmdmntInd>true</AmdmntInd>');
    // Two changes in a row still announce the first value, as the bank knows it.
    await t.run((deps) => cancelBatch(deps, { batchId: batch.id }));
    await amend({ rum: 'RUM-A' });
    expect(await amend({ rum: 'RUM-B' })).toMatchObject({ rum: 'RUM-B', originalRum: mandate!.rum });
    const next = await t.run((deps) => buildBatch(deps, date('2026-04-07')));
    await t.run((deps) => markBatchSent(deps, { batchId: next.id }));
    expect((await t.run((deps) => getBatchFile(deps, { batchId: next.id }))).xml).toContain(`<OrgnlMndtId>${mandate!.rum}</OrgnlMndtId>`);
  });
});

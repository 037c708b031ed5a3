import { describe, expect, it } from 'vitest';
import { buildBatch, previewBatch, ZBatchDateInput } from '../src/index.ts';
import { CONTRACT_STATUSES, type ContractStatusName } from '../src/contracts/contracts.schema.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// Which contracts a SEPA batch debits, by the contract's state, for every state the state machine
// has (read from PostgreSQL's enum, so a new state fails here until it is decided). A contract
// that is not in force is never debited: not yet sent or signed (draft, sent), held
// (suspended: its debits wait for the resumption, which moves them), or undone (cancelled, a
// consumer's withdrawal included). A signed contract is debited from its first due date, and a
// terminated one for what its schedule still holds (the termination cancelled the periods
// after its end date and cut the last one): both are owed.

const DEBITED: Record<ContractStatusName, boolean> = {
  draft: false,
  sent: false,
  signed: true,
  active: true,
  suspended: false,
  terminated: true,
  cancelled: false,
};

const april = ZBatchDateInput.parse({ collectionDate: '2026-04-07' });

/** One contract (two debits due 5 April) in each state, its schedule and mandate made when it was signed. */
async function contractInEveryState() {
  const t = await paymentsTenant();
  const contracts = {} as Record<ContractStatusName, string>;
  for (const status of CONTRACT_STATUSES) {
    const { contract, event } = await t.signedContract();
    await t.deliver(event);
    await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { status } }));
    contracts[status] = contract.id;
  }
  return { t, contracts };
}

describe('a SEPA batch, by contract state', () => {
  it('has decided every state of the database', async () => {
    const t = await paymentsTenant();
    const states = await t.run(({ tx }) => tx.$queryRaw<{ status: string }[]>`SELECT unnest(enum_range(NULL::contract_status))::text AS status`);
    expect(states.map((s) => s.status).sort()).toEqual(Object.keys(DEBITED).sort());
    expect([...CONTRACT_STATUSES].sort()).toEqual(Object.keys(DEBITED).sort());
  });

  it('previews and builds the debits of contracts in force only; the others stay planned, not even reported as left out', async () => {
    const { t, contracts } = await contractInEveryState();
    const debited = CONTRACT_STATUSES.filter((status) => DEBITED[status]).map((status) => contracts[status]).sort();
    const held = CONTRACT_STATUSES.filter((status) => !DEBITED[status]).map((status) => contracts[status]);

    const preview = await t.run((deps) => previewBatch(deps, april));
    expect([...new Set(preview.items.map((item) => item.contractId))].sort()).toEqual(debited);
    expect(preview.itemCount).toBe(debited.length * 2);
    const mentioned = [...preview.items, ...preview.excluded].map((item) => item.contractId);
    expect(mentioned.filter((id) => held.includes(id))).toEqual([]);

    const batch = await t.run((deps) => buildBatch(deps, april));
    expect([...new Set(batch.items.map((item) => item.contractId))].sort()).toEqual(debited);
    const items = await t.run(({ tx }) => tx.scheduleItem.findMany({ where: { contractId: { in: held }, dueDate: { lte: new Date('2026-04-07') } }, select: { status: true, batchId: true } }));
    expect(items).toHaveLength(held.length * 2);
    expect(items.every((item) => item.status === 'planned' && item.batchId === null)).toBe(true);
  });

  it('refuses to build a batch of nothing when every contract due is held, in each held state', async () => {
    for (const status of CONTRACT_STATUSES.filter((s) => !DEBITED[s])) {
      const t = await paymentsTenant();
      const { contract, event } = await t.signedContract();
      await t.deliver(event);
      await t.run(({ tx }) => tx.contract.update({ where: { id: contract.id }, data: { status } }));
      expect(await t.run((deps) => previewBatch(deps, april)), status).toMatchObject({ itemCount: 0, excluded: [], tooLateForPreNotification: { count: 0 } });
      expect(await failure(t.run((deps) => buildBatch(deps, april))), status).toMatchObject({ code: 'BAD_REQUEST', message: 'Aucune échéance à prélever pour cette date' });
      expect(await t.run(({ tx }) => tx.scheduleItem.count({ where: { contractId: contract.id, status: { not: 'planned' } } })), status).toBe(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  listBatches,
  listReturnFiles,
  listMandates,
  listPayments,
  listScheduleItems,
  ZListBatchesInput,
  ZListMandatesInput,
  ZListPaymentsInput,
  ZListReturnFilesInput,
  ZListScheduleItemsInput,
  type TenantDeps,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// The payments lists page by keyset, like the clients list: every row once, in a stable order,
// however many there are (they stopped at 200 rows).

type Page<T> = { items: T[]; nextCursor: string | null };

/** Every page of a list, following its cursors. */
async function allPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(cursor);
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 100);
  return { rows, pages };
}

async function tenantWithRows() {
  const t = await paymentsTenant();
  const contracts = [];
  for (let n = 0; n < 5; n++) {
    const signed = await t.signedContract();
    await t.deliver(signed.event);
    contracts.push(signed.contract);
  }
  // Payments on a few value dates, several on the same day (the id breaks the tie).
  await t.run(async ({ tx, actor }) => {
    const items = await tx.scheduleItem.findMany({ where: { tenantId: actor.tenantId }, take: 23, orderBy: { id: 'asc' } });
    await tx.payment.createMany({
      data: items.map((item, n) => ({
        tenantId: actor.tenantId,
        scheduleItemId: item.id,
        contractId: item.contractId,
        clientId: item.clientId,
        outcome: n % 4 === 0 ? ('rejected' as const) : ('received' as const),
        method: 'transfer' as const,
        amountCents: item.amountCents,
        valueDate: new Date(`2026-0${3 + (n % 3)}-1${n % 2}T00:00:00Z`),
        reasonCode: n % 4 === 0 ? 'AM04' : null,
        reasonCategory: n % 4 === 0 ? ('insufficient_funds' as const) : null,
        rTransaction: n % 4 === 0 ? ('reject' as const) : null,
      })),
    });
  });
  return { t, contracts };
}

describe('paging the payments lists', () => {
  it('schedule items: every row once, by due date then id, across pages', async () => {
    const { t } = await tenantWithRows();
    const page = (input: Record<string, unknown>) => (cursor?: string) => t.run((deps) => listScheduleItems(deps, ZListScheduleItemsInput.parse({ ...input, cursor })));
    const { rows, pages } = await allPages(page({ limit: 7 }));
    expect(rows).toHaveLength(5 * 13);
    expect(pages).toBe(10);
    const expected = await t.run(({ tx }) => tx.scheduleItem.findMany({ orderBy: [{ dueDate: 'asc' }, { id: 'asc' }], select: { id: true } }));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // Filters keep their pages.
    const planned = await allPages(page({ status: 'planned', limit: 50 }));
    expect(planned.rows).toHaveLength(65);
    expect(planned.pages).toBe(2);
  });

  it('payments: every row once, newest value date first, ties by id, with filters', async () => {
    const { t } = await tenantWithRows();
    const page = (input: Record<string, unknown>) => (cursor?: string) => t.run((deps) => listPayments(deps, ZListPaymentsInput.parse({ ...input, cursor })));
    const { rows } = await allPages(page({ limit: 4 }));
    const expected = await t.run(({ tx }) => tx.payment.findMany({ orderBy: [{ valueDate: 'desc' }, { id: 'desc' }], select: { id: true } }));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(rows).toHaveLength(23);
    const rejected = await allPages(page({ outcome: 'rejected', reasonCode: 'AM04', limit: 2 }));
    expect(rejected.rows).toHaveLength(6);
    expect(rejected.rows.every((p) => p.outcome === 'rejected')).toBe(true);
  });

  it('mandates and batches: newest first, every row once', async () => {
    const { t } = await tenantWithRows();
    const mandates = await allPages((cursor) => t.run((deps) => listMandates(deps, ZListMandatesInput.parse({ limit: 2, cursor }))));
    expect(mandates.pages).toBe(3);
    const expected = await t.run(({ tx }) => tx.sepaMandate.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } }));
    expect(mandates.rows.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect((await allPages((cursor) => t.run((deps) => listMandates(deps, ZListMandatesInput.parse({ status: 'active', limit: 3, cursor }))))).rows).toHaveLength(5);

    await t.run(({ tx, actor }) =>
      tx.sepaBatch.createMany({
        data: [1, 2, 3, 4, 5].map((number) => ({
          tenantId: actor.tenantId, number, messageId: `PRLV-${number}`, collectionDate: new Date('2026-04-07'), format: 'pain.008.001.08', itemCount: 0, totalCents: 0n,
        })),
      }),
    );
    const batches = await allPages((cursor) => t.run((deps) => listBatches(deps, ZListBatchesInput.parse({ limit: 2, cursor }))));
    expect(batches.rows.map((b) => b.number)).toEqual([5, 4, 3, 2, 1]);
  });

  it('bank return files: newest first, several imported in the same millisecond, every file once', async () => {
    const { t } = await tenantWithRows();
    const at = new Date('2026-04-08T09:00:00.000Z');
    await t.run(({ tx, actor }) =>
      tx.bankReturnFile.createMany({
        data: Array.from({ length: 7 }, (_, n) => ({
          tenantId: actor.tenantId, fileName: `retours-${n}.xml`, kind: 'pain.002', sha256: String(n).repeat(64).slice(0, 64),
          createdAt: new Date(at.getTime() + Math.floor(n / 3) * 60_000),
        })),
      }),
    );
    const files = await allPages((cursor) => t.run((deps) => listReturnFiles(deps, ZListReturnFilesInput.parse({ limit: 2, cursor }))));
    expect(files.pages).toBe(4);
    const expected = await t.run(({ tx }) => tx.bankReturnFile.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { fileName: true } }));
    expect(files.rows.map((f) => f.fileName)).toEqual(expected.map((f) => f.fileName));
    expect(new Set(files.rows.map((f) => f.fileName)).size).toBe(7);
  });

  it('refuses a cursor it did not make, on the cursor field', async () => {
    const { t } = await tenantWithRows();
    const calls: ((deps: TenantDeps, cursor: string) => Promise<unknown>)[] = [
      (deps, cursor) => listScheduleItems(deps, ZListScheduleItemsInput.parse({ cursor })),
      (deps, cursor) => listPayments(deps, ZListPaymentsInput.parse({ cursor })),
      (deps, cursor) => listMandates(deps, ZListMandatesInput.parse({ cursor })),
      (deps, cursor) => listBatches(deps, ZListBatchesInput.parse({ cursor })),
      (deps, cursor) => listReturnFiles(deps, ZListReturnFilesInput.parse({ cursor })),
    ];
    const id = '01900000-0000-7000-8000-000000000000';
    // Crafted in the codec's own shape (base64url of a JSON array): a list's name, then its parts.
    const craft = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const crafted = ['garbage', craft('schedule-items/1', '2026-02-30', id), craft('payments/1', 'demain', id), craft('schedule-items/1', '2026-03-01', 'not-an-id'), craft('payments/1', '2026-03-01'), craft('mandates/1', 12, id), craft('batches/1', -1, id), craft('other-list/1', '2026-03-01', id)];
    for (const cursor of crafted) {
      for (const call of calls) {
        expect(await failure(t.run((deps) => call(deps, cursor))), cursor).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { cursor: ['Curseur invalide'] } });
      }
    }
  });
});

import { createDb, withTenant, type Db } from '@crm/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createInvoiceDraft, issueInvoiceIn, takeInvoiceNumber, ZCreateInvoiceDraftInput, type DocumentStorage } from '../src/index.ts';
import { paymentsTenant } from './payments-fixtures.ts';

// Invoice numbers are unique and continuous per series (CGI annexe II art. 242 nonies A): taken
// from a counter row locked in the issuing transaction, so concurrent issuers queue and a
// rollback gives its number back. Here from 12 connections at once, a fifth of them rolled back
// after the number was written, and the committed numbers must be exactly 1..n.

const CONNECTIONS = 12;
let db: Db;
let t: Awaited<ReturnType<typeof paymentsTenant>>;

/** Bytes kept in memory: the numbering is under test here, not the disk. */
const memoryStorage = (): DocumentStorage & { keys: Set<string> } => {
  const keys = new Set<string>();
  return {
    keys,
    put: (key) => Promise.resolve(void keys.add(key)),
    get: () => Promise.reject(new Error('not kept')),
    delete: (key) => Promise.resolve(void keys.delete(key)),
  };
};

class RolledBack extends Error {}

/** `count` tasks run by `CONNECTIONS` workers, each on its own connection, until `stop` says enough. */
async function inParallel(count: number, task: (i: number) => Promise<void>, stop: () => boolean = () => false) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < count) {
        const before = next++;
        await task(before);
        if (count === Number.MAX_SAFE_INTEGER && stop()) return;
      }
    }),
  );
}

const sequence = (numbers: string[], pattern: RegExp) =>
  numbers.map((n) => Number(pattern.exec(n)![1])).sort((a, b) => a - b);

beforeAll(async () => {
  db = createDb({ url: inject('databaseUrl'), poolSize: CONNECTIONS });
  t = await paymentsTenant({ now: new Date('2026-03-02T09:00:00Z') });
  await t.run(({ tx }) =>
    tx.organisation.update({
      where: { id: t.owner.tenantId },
      data: { legalForm: 'SAS', siren: '443061841', vatNumber: 'FR64443061841', shareCapitalCents: 100_000n, rcsCity: 'Paris', addressLine1: '1 rue A', postalCode: '75001', city: 'Paris' },
    }),
  );
});
afterAll(async () => {
  await db.$disconnect();
});

describe('invoice numbering', () => {
  it('gives 1,000 invoices committed from 12 connections, with random rollbacks, exactly the numbers 1..n', { timeout: 120_000 }, async () => {
    const client = await t.client('person');
    const tenantId = t.owner.tenantId;
    let committed = 0;
    let rolledBack = 0;
    const started = performance.now();
    // Each connection goes on until 1,000 are committed (a few more may land from those in flight).
    await inParallel(Number.MAX_SAFE_INTEGER, async () => {
      if (committed >= 1_000) return;
      try {
        await withTenant(db, tenantId, async (tx) => {
          const number = await takeInvoiceNumber(tx, tenantId, 'b2b', '2026-03-02');
          await tx.invoice.create({
            data: {
              tenantId,
              series: 'b2b',
              status: 'issued',
              number,
              clientId: client.id,
              buyerKind: 'business',
              issueDate: new Date('2026-03-02T00:00:00Z'),
              snapshot: { number },
              snapshotSha256: number,
            },
          });
          // A failure after the number was taken and written: the whole transaction goes.
          if (Math.random() < 0.2) throw new RolledBack();
        });
        committed++;
      } catch (error) {
        if (!(error instanceof RolledBack)) throw error;
        rolledBack++;
      }
    }, () => committed >= 1_000);
    const elapsed = performance.now() - started;
    const rows = await t.run(({ tx }) => tx.invoice.findMany({ where: { tenantId, series: 'b2b' }, select: { number: true } }));
    const numbers = sequence(rows.map((r) => r.number!), /^FB-2026-(\d{6})$/);
    expect(rolledBack).toBeGreaterThan(100);
    expect(numbers).toHaveLength(committed);
    expect(numbers).toEqual(Array.from({ length: committed }, (_, i) => i + 1));
    expect(committed).toBeGreaterThanOrEqual(1_000);
    console.info(`numbering: ${committed} committed, ${rolledBack} rolled back, ${CONNECTIONS} connections, ${Math.round(elapsed)} ms`);
  });

  it('numbers whole issuances (mentions, snapshot, artefacts, event) the same way when some roll back', async () => {
    const client = await t.client('person');
    const tenantId = t.owner.tenantId;
    const drafts: string[] = [];
    for (let i = 0; i < 40; i++) {
      drafts.push((await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [{ label: 'Forfait', quantity: 1, unitPriceCents: 1_000 + i, vatRateBasisPoints: 2000 }] })))).id);
    }
    const storage = memoryStorage();
    const now = new Date('2026-03-02T09:00:00Z');
    const rolled = new Set<string>();
    await inParallel(drafts.length, async (i) => {
      const id = drafts[i]!;
      await withTenant(db, tenantId, async (tx) => {
        await issueInvoiceIn({ tx, tenantId, now, storage, issuedBy: 'test', actorUserId: null }, id);
        if (i % 4 === 1) throw new RolledBack();
      }).catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
        rolled.add(id);
      });
    });
    const rows = await t.run(({ tx }) => tx.invoice.findMany({ where: { tenantId, id: { in: drafts } }, select: { id: true, number: true, status: true } }));
    const issued = rows.filter((r) => r.status !== 'draft');
    expect(issued).toHaveLength(30);
    expect(rows.filter((r) => r.status === 'draft').map((r) => r.id).sort()).toEqual([...rolled].sort());
    expect(sequence(issued.map((r) => r.number!), /^FA-2026-(\d{6})$/)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Rolled-back issuances left no file behind; each issued invoice kept its artefacts.
    const files = await t.run(({ tx }) => tx.document.count({ where: { tenantId, invoiceId: { in: drafts } } }));
    expect(storage.keys.size).toBe(files);
    expect(files).toBeGreaterThanOrEqual(30);
    expect(await t.run(({ tx }) => tx.outboxEvent.count({ where: { tenantId, type: 'invoice.created' } }))).toBe(30);
  });
});

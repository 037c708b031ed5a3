import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb, type Db } from '../src/client.ts';
import { newId } from '../src/ids.ts';
import { afterCommit, afterRollback, withTenant, type Tx } from '../src/tenant.ts';

let db: Db;
beforeAll(() => {
  db = createDb({ url: inject('databaseUrl'), poolSize: 4 });
});
afterAll(() => db.$disconnect());

/** An organisation created in `tx`, and what the effects saw of it from another transaction. */
async function createOrganisation(tx: Tx, tenantId: string, seen: string[]) {
  await tx.organisation.create({ data: { id: tenantId, name: 'Effets' } });
  const visible = () => withTenant(db, tenantId, (other) => other.organisation.count());
  afterCommit(tx, async () => seen.push(`committed, visible ${await visible()}`));
  afterRollback(tx, async () => seen.push(`rolled back, visible ${await visible()}`));
}

describe('effects after a transaction', () => {
  it('afterCommit runs once the commit is done, afterRollback never', async () => {
    const tenantId = newId();
    const seen: string[] = [];
    expect(await withTenant(db, tenantId, async (tx) => (await createOrganisation(tx, tenantId, seen), 'done'))).toBe('done');
    expect(seen).toEqual(['committed, visible 1']);
  });

  it('afterRollback runs when the work fails, with its error; afterCommit never', async () => {
    const tenantId = newId();
    const seen: string[] = [];
    const failure = new Error('the work failed');
    await expect(
      withTenant(db, tenantId, async (tx) => {
        await createOrganisation(tx, tenantId, seen);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(seen).toEqual(['rolled back, visible 0']);
  });

  it('afterRollback runs when the transaction cannot commit (here: past its time limit)', async () => {
    const tenantId = newId();
    const seen: string[] = [];
    await expect(
      withTenant(
        db,
        tenantId,
        async (tx) => {
          await createOrganisation(tx, tenantId, seen);
          await new Promise((resolve) => setTimeout(resolve, 400));
        },
        { timeoutMs: 100 },
      ),
    ).rejects.toThrow();
    expect(seen).toEqual(['rolled back, visible 0']);
  });

  it('an effect that fails is a warning, not a change of outcome; the others still run', async () => {
    const tenantId = newId();
    const ran: string[] = [];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const result = await withTenant(db, tenantId, async (tx) => {
        await tx.organisation.create({ data: { id: tenantId, name: 'Effets' } });
        afterCommit(tx, () => Promise.reject(Object.assign(new Error('disk full writing Jeanne Martin.pdf'), { code: 'ENOSPC' })));
        afterCommit(tx, () => Promise.resolve(ran.push('second')));
        return 'committed';
      });
      expect(result).toBe('committed');
      expect(ran).toEqual(['second']);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      // Its class and code, never its message (which may quote data).
      expect(warnings).toEqual(['an effect after a transaction failed: Error ENOSPC']);
      expect(await withTenant(db, tenantId, (tx) => tx.organisation.count())).toBe(1);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a handle that is not one of these transactions', () => {
    expect(() => afterCommit(db as unknown as Tx, () => Promise.resolve())).toThrow('afterCommit: not a transaction of withTenant');
  });
});

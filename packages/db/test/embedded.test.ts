import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDb, type EmbeddedDb } from '../src/embedded.ts';
import { newId } from '../src/ids.ts';
import { withTenant } from '../src/tenant.ts';

// The embedded default (PGlite) must isolate tenants exactly like the server does.
let dir: string;
let embedded: EmbeddedDb;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'crm-pglite-'));
  embedded = await openEmbeddedDb(dir);
}, 60_000);
afterAll(async () => {
  await embedded.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('runs as the application role, under row-level security', async () => {
    const [role] = await embedded.db.$queryRaw<{ current_user: string }[]>`select current_user`;
    expect(role?.current_user).toBe('crm_app');
    const a = newId();
    const b = newId();
    for (const id of [a, b]) {
      await withTenant(embedded.db, id, (tx) => tx.organisation.create({ data: { id, name: `Org ${id}` } }));
    }
    expect(await embedded.db.organisation.count()).toBe(0);
    expect(await withTenant(embedded.db, a, (tx) => tx.organisation.findMany({ select: { id: true } }))).toEqual([{ id: a }]);
    const intrusion = await withTenant(embedded.db, a, (tx) => tx.auditLog.create({ data: { tenantId: b, action: 'x', entityType: 'y' } })).catch(
      (e: unknown) => e,
    );
    expect(intrusion).toBeInstanceOf(Error);
  });

  it('applies a member’s client scope there too: the scoped role for one transaction, their clients’ rows only', async () => {
    const tenantId = newId();
    const seed = await withTenant(embedded.db, tenantId, async (tx) => {
      await tx.organisation.create({ data: { id: tenantId, name: 'Org' } });
      const user = await tx.user.create({ data: { email: `${tenantId}@example.test`, name: 'Rep', passwordHash: 'x' } });
      await tx.membership.create({ data: { tenantId, userId: user.id, role: 'sales' } });
      const [mine, other] = [await tx.salesRep.create({ data: { tenantId, userId: user.id, code: 'R1', firstName: 'R', lastName: '1' } }), await tx.salesRep.create({ data: { tenantId, code: 'R2', firstName: 'R', lastName: '2' } })];
      for (const [name, rep] of [['Mine', mine.id], ['Other', other.id]] as const) {
        const client = await tx.client.create({ data: { tenantId, kind: 'company', displayName: name, sortName: name, searchText: name, salesRepId: rep } });
        await tx.contract.create({ data: { tenantId, number: name, clientId: client.id, billingFrequency: 'monthly', startDate: new Date('2026-01-01'), durationMonths: 12, paymentMethod: 'transfer' } });
      }
      return { userId: user.id };
    });
    const seen = await withTenant(embedded.db, tenantId, async (tx) => ({
      role: (await tx.$queryRaw<{ current_user: string }[]>`select current_user`)[0]?.current_user,
      contracts: (await tx.contract.findMany({ select: { number: true } })).map((c) => c.number),
    }), { userId: seed.userId });
    expect(seen).toEqual({ role: 'crm_app_scoped', contracts: ['Mine'] });
    const [after] = await embedded.db.$queryRaw<{ current_user: string }[]>`select current_user`;
    expect(after?.current_user).toBe('crm_app');
  });

  it('has the reference data of the migrations', async () => {
    expect(await embedded.db.country.count()).toBe(249); // ISO 3166-1, withdrawn codes removed
    expect(await embedded.db.legalForm.findUnique({ where: { code: 'SAS' } })).toEqual({ code: 'SAS', label: 'Société par actions simplifiée', inseeCode: '5710' });
  });
});

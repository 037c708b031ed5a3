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

  it('has the reference data of the migrations', async () => {
    expect(await embedded.db.country.count()).toBe(249); // ISO 3166-1, withdrawn codes removed
    expect(await embedded.db.legalForm.findUnique({ where: { code: 'SAS' } })).toEqual({ code: 'SAS', label: 'Société par actions simplifiée', inseeCode: '5710' });
  });
});

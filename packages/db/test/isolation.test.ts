import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb, type Db } from '../src/client.ts';
import { classifyDbError } from '../src/errors.ts';
import { newId } from '../src/ids.ts';
import { withSystem, withTenant } from '../src/tenant.ts';

let db: Db;
let app: pg.Client;

/** Two organisations with an owner each, made directly (packages/db knows no use cases). */
async function makeTenant(label: string) {
  const tenantId = newId();
  return withTenant(db, tenantId, async (tx) => {
    const user = await tx.user.create({ data: { email: `${label}.${tenantId}@example.test`, name: label, passwordHash: 'x' } });
    await tx.organisation.create({ data: { id: tenantId, name: label } });
    const member = await tx.membership.create({ data: { tenantId, userId: user.id, role: 'owner' } });
    return { tenantId, userId: user.id, memberId: member.id };
  });
}

beforeAll(async () => {
  db = createDb({ url: inject('databaseUrl'), poolSize: 10 });
  app = new pg.Client({ connectionString: inject('databaseUrl') });
  await app.connect();
});
afterAll(async () => {
  await db.$disconnect();
  await app.end();
});

describe('with no tenant set', () => {
  it('a query sees no tenant row and cannot insert one', async () => {
    const a = await makeTenant('A');
    const { rows } = await app.query('SELECT count(*)::int AS n FROM memberships');
    expect(rows[0].n).toBe(0);
    expect((await app.query('SELECT count(*)::int AS n FROM organisations')).rows[0].n).toBe(0);
    await expect(
      app.query("INSERT INTO memberships (id, tenant_id, user_id, role, updated_at) VALUES ($1, $2, $3, 'owner', now())", [
        newId(),
        a.tenantId,
        a.userId,
      ]),
    ).rejects.toThrow(/row-level security/);
    expect(await db.membership.count()).toBe(0);
  });

  it('the setting does not outlive its transaction on a pooled connection', async () => {
    const a = await makeTenant('A');
    expect(await withTenant(db, a.tenantId, (tx) => tx.membership.count())).toBe(1);
    // Same pool, plain queries: nothing left over from the transaction above.
    for (let i = 0; i < 20; i++) expect(await db.membership.count()).toBe(0);
  });
});

describe('between tenants', () => {
  it('A cannot read, update or delete B rows', async () => {
    const a = await makeTenant('A');
    const b = await makeTenant('B');
    await withTenant(db, a.tenantId, async (tx) => {
      expect(await tx.membership.findUnique({ where: { id: b.memberId } })).toBeNull();
      expect(await tx.organisation.findUnique({ where: { id: b.tenantId } })).toBeNull();
      expect((await tx.membership.updateMany({ where: { id: b.memberId }, data: { role: 'viewer' } })).count).toBe(0);
      expect((await tx.membership.deleteMany({ where: { id: b.memberId } })).count).toBe(0);
      const update = await tx.membership.update({ where: { id: b.memberId }, data: { role: 'viewer' } }).catch((e: unknown) => e);
      expect(classifyDbError(update)?.kind).toBe('not_found');
    });
    const bMember = await withTenant(db, b.tenantId, (tx) => tx.membership.findUniqueOrThrow({ where: { id: b.memberId } }));
    expect(bMember.role).toBe('owner');
  });

  it('A cannot write a row into B', async () => {
    const a = await makeTenant('A');
    const b = await makeTenant('B');
    const error = await withTenant(db, a.tenantId, (tx) =>
      tx.auditLog.create({ data: { tenantId: b.tenantId, action: 'x', entityType: 'y' } }),
    ).catch((e: unknown) => e);
    expect(classifyDbError(error)?.kind).toBe('not_found');
    expect(await withTenant(db, b.tenantId, (tx) => tx.auditLog.count())).toBe(0);
  });

  it('a reference to B row from A fails exactly like a reference to no row at all', async () => {
    const a = await makeTenant('A');
    const b = await makeTenant('B');
    const attach = (memberId: string) =>
      withTenant(db, a.tenantId, (tx) =>
        tx.invitation.create({
          data: {
            tenantId: a.tenantId,
            email: 'x@example.test',
            role: 'viewer',
            tokenHash: newId(),
            invitedByMemberId: memberId,
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        }),
      ).then(
        () => ({ code: 'created' }),
        (e: unknown) => e as { code?: string },
      );
    const foreign = await attach(b.memberId);
    const missing = await attach(newId());
    expect(classifyDbError(foreign)?.kind).toBe('not_found');
    expect(classifyDbError(missing)?.kind).toBe('not_found');
    expect(foreign.code).toBe(missing.code);
    expect(await withSystem(db, (tx) => tx.invitation.count({ where: { tenantId: a.tenantId } }))).toBe(0);
  });

  it('1000 interleaved transactions of two tenants never see each other', async () => {
    const a = await makeTenant('A');
    const b = await makeTenant('B');
    // 50 in flight at a time: interleaved on the pool's connections, without queueing a thousand
    // transactions behind four connections (which only tests the pool's wait limit on a busy machine).
    const seen: boolean[] = [];
    for (let batch = 0; batch < 20; batch++) {
      seen.push(...(await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const t = i % 2 === 0 ? a : b;
          return withTenant(db, t.tenantId, async (tx) => {
            const rows = await tx.membership.findMany({ select: { tenantId: true } });
            return rows.every((r) => r.tenantId === t.tenantId) && rows.length === 1;
          });
        }),
      )));
    }
    expect(seen).toHaveLength(1000);
    expect(seen.filter((ok) => !ok)).toEqual([]);
  }, 60_000);

  it('refuses a malformed tenant id before touching the database', async () => {
    await expect(withTenant(db, '', () => Promise.resolve(1))).rejects.toThrow(/UUID/);
    await expect(withTenant(db, "x' or '1'='1", () => Promise.resolve(1))).rejects.toThrow(/UUID/);
  });
});

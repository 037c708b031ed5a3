import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb, type Db } from '../src/client.ts';
import { classifyDbError } from '../src/errors.ts';
import { newId } from '../src/ids.ts';
import { withTenant } from '../src/tenant.ts';

// The safety net behind the input rules: a value PostgreSQL refuses is the caller's mistake
// (invalid_input, a 400), never an unexplained 500.

let db: Db;
beforeAll(() => {
  db = createDb({ url: inject('databaseUrl'), poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

const failure = (work: Parameters<typeof withTenant>[2]) => withTenant(db, newId(), work).then(() => null, (error: unknown) => error);

describe('classifyDbError', () => {
  it('calls a value the database cannot hold invalid_input, whether through Prisma or raw SQL', async () => {
    const refused = [
      // NUL in a text column (22021), through the query builder and through raw SQL
      await failure((tx) => tx.user.create({ data: { email: `nul.${newId()}@example.test`, name: 'a\u0000b', passwordHash: 'x' } })),
      await failure((tx) => tx.$queryRaw`SELECT ${'a\u0000b'}::text`),
      // NUL in a JSON string (22P05)
      await failure((tx) => tx.$queryRaw`SELECT ${JSON.stringify({ a: 'a\u0000' })}::jsonb`),
      // year 0 and an impossible day (22008), a malformed instant (22007), a malformed uuid (22P02)
      await failure((tx) => tx.user.findMany({ where: { createdAt: new Date('0000-01-01T00:00:00Z') } })),
      await failure((tx) => tx.$queryRaw`SELECT ${'2026-02-30'}::date`),
      await failure((tx) => tx.$queryRaw`SELECT ${'1'}::timestamptz`),
      await failure((tx) => tx.user.findMany({ where: { id: { lt: 'not-a-uuid' } } })),
      // a number out of range (22003)
      await failure((tx) => tx.$queryRaw`SELECT ${2 ** 40}::int`),
    ];
    expect(refused.map((error) => classifyDbError(error)?.kind)).toEqual(Array(refused.length).fill('invalid_input'));
  });

  it('leaves other failures alone', async () => {
    const syntax = await failure((tx) => tx.$queryRawUnsafe('SELEC 1'));
    expect(classifyDbError(syntax)).toBeNull();
    expect(classifyDbError(new Error('x'))).toBeNull();
  });
});

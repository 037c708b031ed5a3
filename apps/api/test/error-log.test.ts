import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createDb, safeLogger, type Db } from '@crm/db';
import { newTenant, testAuthDeps } from '@crm/domain/testing';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../src/app.ts';

// Errors reach the log as what failed and where (procedure or route, request id, class, codes),
// never with the data they failed on: a failing statement's values, a Prisma query's input.
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});
const services = testAuthDeps();
let server: Server;
let base = '';
let owner: Db;
const trigger = `crm_test_refuse_${randomBytes(4).toString('hex')}`;
const marker = `REFUSE-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const app = createApp({ services, log: pino({ level: 'info' }, sink), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A database refusal the input rules cannot foresee, quoting the row as PostgreSQL's own
  // check violations do ("Failing row contains (...)"): only for rows carrying this run's marker.
  owner = createDb({ url: inject('ownerDatabaseUrl'), poolSize: 1 });
  await owner.$executeRawUnsafe(`
    CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.notes LIKE '%${marker}%' THEN
        RAISE EXCEPTION 'new row for relation "clients" violates check constraint "%"', TG_NAME
          USING ERRCODE = '23514', DETAIL = format('Failing row contains (%s, %s, %s, %s).', NEW.first_name, NEW.last_name, NEW.email, NEW.notes);
      END IF;
      RETURN NEW;
    END $$`);
  await owner.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
});
afterAll(async () => {
  await owner.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON clients`);
  await owner.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${trigger}()`);
  await owner.$disconnect();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const unique = randomBytes(4).toString('hex');
const VALUES = {
  firstName: `Zéphyrine${unique}`,
  lastName: `Quatremaille${unique}`,
  email: `zephyrine.${unique}@example.test`,
  iban: `FR7630006000011234567${unique.replace(/\D/g, '7').padEnd(8, '7')}`,
  password: `hunter2-${unique}`,
};
const notes = `IBAN ${VALUES.iban}, mot de passe ${VALUES.password} ${marker}`;
const leaked = (text: string) => Object.values(VALUES).filter((value) => text.includes(value));

describe('a failed procedure is logged without its data', () => {
  it('a database error: procedure, request id and codes in the log, none of the values', async () => {
    const { session } = await newTenant(services, 'Journal des erreurs');
    const response = await fetch(`${base}/trpc/clients.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ kind: 'person', firstName: VALUES.firstName, lastName: VALUES.lastName, email: VALUES.email, notes }),
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(leaked(body)).toEqual([]);
    const requestId = response.headers.get('x-request-id')!;
    await new Promise((resolve) => setImmediate(resolve));
    const lines = logLines.filter((line) => line.includes(requestId));
    expect(leaked(logLines.join(''))).toEqual([]);
    const failed = lines.map((line) => JSON.parse(line) as Record<string, any>).find((line) => line.msg === 'procedure failed');
    expect(failed).toMatchObject({ requestId, procedure: 'clients.create', code: 'INTERNAL_SERVER_ERROR', err: { sqlState: '23514' } });
    expect(failed!.err.type).toMatch(/^PrismaClient/);
    expect(failed!.err.stack).toMatch(/^\s+at /);
  });

  it('a Prisma validation error from the real client, whatever way a call site logs it', async () => {
    // Prisma's validation error prints the whole query, data included, in its message.
    const error = await services.db.client
      .create({ data: { kind: 'person', firstName: VALUES.firstName, lastName: VALUES.lastName, email: VALUES.email, notes, iban: VALUES.iban } as never })
      .then(() => new Error('no error'), (caught: unknown) => caught as Error);
    expect(error.constructor.name).toBe('PrismaClientValidationError');
    expect(leaked(error.message).length).toBeGreaterThan(0);

    const lines: string[] = [];
    const log = safeLogger(pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void lines.push(chunk.toString())) })));
    log.error({ requestId: 'r-1', procedure: 'clients.create', code: 'INTERNAL_SERVER_ERROR', err: error }, 'procedure failed');
    log.error(error); // pino would take the error's message as the line's
    log.error({ err: error }); // likewise
    log.warn({ error, attempt: 2 }, 'retrying');
    log.error({ err: new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }) }, 'wrapped');
    log.child({ component: 'worker' }).error({ nested: { cause: error } }, 'nested');
    expect(lines).toHaveLength(6);
    expect(leaked(lines.join(''))).toEqual([]);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, any>);
    expect(parsed[0]).toMatchObject({ requestId: 'r-1', procedure: 'clients.create', code: 'INTERNAL_SERVER_ERROR', err: { type: 'PrismaClientValidationError' } });
    expect(parsed[1]!.err.type).toBe('PrismaClientValidationError');
    expect(parsed[1]!.msg).not.toContain('prisma');
    expect(parsed[3]!.error.type).toBe('PrismaClientValidationError');
    expect(parsed[4]!.err).toMatchObject({ type: 'TRPCError', code: 'INTERNAL_SERVER_ERROR', cause: { type: 'PrismaClientValidationError' } });
    expect(parsed[5]).toMatchObject({ component: 'worker', nested: { cause: { type: 'PrismaClientValidationError' } } });
  });
});

import type { Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '../src/env.ts';
import { serveHealth, startWorker } from '../src/worker.ts';
import { natsUrl, ownDatabase, silent, uniqueNames } from './support.ts';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  ({ database, db } = await ownDatabase('crm_worker'));
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe('the worker shell', () => {
  it('reports healthy on the real PostgreSQL and NATS, and degraded when NATS goes away', async () => {
    const nats = await connect({ servers: natsUrl, name: 'worker-test' });
    const names = uniqueNames();
    const worker = await startWorker({ db, nats, log: silent, jetstream: names });
    const server = await serveHealth(worker, '127.0.0.1', 0);
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', nats: 'ok', relay: 'ok' } });

    await (await jetstreamManager(nats)).streams.delete(names.stream);
    await nats.close();
    const degraded = await fetch(`http://127.0.0.1:${port}/health`);
    expect(degraded.status).toBe(503);
    expect(((await degraded.json()) as { checks: { nats: string } }).checks.nats).toBe('unavailable');

    await worker.stop();
    server.close();
  });

  it('runs without NATS in the embedded default', async () => {
    const worker = await startWorker({ db, nats: null, log: silent });
    expect(await worker.health()).toEqual({ status: 'ok', checks: { database: 'ok', nats: 'not_configured', relay: 'ok' } });
    await worker.stop();
  });
});

describe('the worker environment', () => {
  it('names every missing or malformed variable', () => {
    expect(() => parseWorkerEnv({})).toThrow(/DATABASE_URL: required[\s\S]*NATS_URL: required/);
    expect(() => parseWorkerEnv({ DATABASE_URL: 'mysql://x', NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ URL/,
    );
    expect(parseWorkerEnv({ DATABASE_URL: 'postgresql://crm_app@h/db', NATS_URL: 'nats://h:4222' }).WORKER_HEALTH_PORT).toBe(3001);
  });
});

import { createDb } from '@crm/db';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { parseWorkerEnv } from '../src/env.ts';
import { serveHealth, startWorker } from '../src/worker.ts';

const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const silent = pino({ level: 'silent' });

describe('the worker shell', () => {
  it('reports healthy on the real PostgreSQL and NATS, and degraded when NATS goes away', async () => {
    const db = createDb({ url: inject('databaseUrl'), poolSize: 2 });
    const nats = await connect({ servers: natsUrl, name: 'worker-test' });
    const worker = await startWorker({ db, nats, log: silent });
    const server = await serveHealth(worker, '127.0.0.1', 0);
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', nats: 'ok', relay: 'ok' } });

    await nats.close();
    const degraded = await fetch(`http://127.0.0.1:${port}/health`);
    expect(degraded.status).toBe(503);
    expect(((await degraded.json()) as { checks: { nats: string } }).checks.nats).toBe('unavailable');

    await worker.stop();
    server.close();
    await db.$disconnect();
  });

  it('runs without NATS in the embedded default', async () => {
    const db = createDb({ url: inject('databaseUrl'), poolSize: 1 });
    const worker = await startWorker({ db, nats: null, log: silent });
    expect(await worker.health()).toEqual({ status: 'ok', checks: { database: 'ok', nats: 'not_configured', relay: 'ok' } });
    await worker.stop();
    await db.$disconnect();
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

import type { Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentStorageFromEnv } from '@crm/domain';
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
    expect(await worker.health()).toEqual({ status: 'ok', checks: { database: 'ok', nats: 'not_configured', relay: 'ok', effects: 'not_configured', letters: 'not_configured' } });
    await worker.stop();
  });
});

describe('the worker environment', () => {
  it('names every missing or malformed variable', () => {
    expect(() => parseWorkerEnv({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: required[\s\S]*NATS_URL: required when NODE_ENV=production/);
    // Outside production NATS is optional: events are then handled in the worker's own process.
    expect(() => parseWorkerEnv({})).toThrow(/^Invalid environment for the worker:\n {2}- DATABASE_URL: required[^\n]*DB_HOST[^\n]*$/);
    expect(() => parseWorkerEnv({ DATABASE_URL: 'mysql://x', NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ URL/,
    );
    expect(parseWorkerEnv({ DATABASE_URL: 'postgresql://crm_app@h/db', NATS_URL: 'nats://h:4222' }).WORKER_HEALTH_PORT).toBe(3001);
  });

  it('reads the documents storage as the API does: the local disk, or the same S3 bucket', async () => {
    const base = { DATABASE_URL: 'postgresql://crm_app@h/db' };
    expect(parseWorkerEnv(base).DOCUMENTS_STORAGE).toBe('local');
    expect(() => parseWorkerEnv({ ...base, DOCUMENTS_STORAGE: 's3' })).toThrow(/DOCUMENTS_S3_BUCKET: required when DOCUMENTS_STORAGE=s3/);
    expect(() => parseWorkerEnv({ ...base, DOCUMENTS_STORAGE: 's3', DOCUMENTS_S3_BUCKET: 'b', DOCUMENTS_S3_ACCESS_KEY_ID: 'k' })).toThrow(/go together/);
    const s3 = parseWorkerEnv({ ...base, DOCUMENTS_STORAGE: 's3', DOCUMENTS_S3_BUCKET: 'crm-documents', DOCUMENTS_S3_ENDPOINT: 'http://127.0.0.1:9000' });
    const storage = await documentStorageFromEnv(s3, '/nowhere');
    expect(storage.constructor.name).toBe('S3Storage');
  });

  it('reads the mail settings: SMTP_URL validated (empty is unset), capture on outside production', () => {
    const base = { DATABASE_URL: 'postgresql://crm_app@h/db' };
    expect(parseWorkerEnv(base)).toMatchObject({ MAIL_CAPTURE: true, MAIL_FROM: 'CRM <no-reply@crm.localhost>' });
    expect(parseWorkerEnv(base).SMTP_URL).toBeUndefined();
    const production = parseWorkerEnv({ ...base, NODE_ENV: 'production', NATS_URL: 'nats://h:4222', SMTP_URL: '' });
    expect([production.MAIL_CAPTURE, production.SMTP_URL]).toEqual([false, undefined]);
    expect(parseWorkerEnv({ ...base, SMTP_URL: 'smtps://u:p@mail.example.com:465' }).SMTP_URL).toBe('smtps://u:p@mail.example.com:465');
    expect(() => parseWorkerEnv({ ...base, SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('accepts the predecessor DB_* variables, as the API does', () => {
    const env = parseWorkerEnv({ DB_HOST: 'db.local', DB_PORT: '5433', DB_USERNAME: 'crm_app', DB_PASSWORD: 'p@ss:/', DB_DATABASE: 'crm_db', NATS_URL: 'nats://h:4222' });
    expect(env.DATABASE_URL).toBe('postgresql://crm_app:p%40ss%3A%2F@db.local:5433/crm_db');
    expect(parseWorkerEnv({ DATABASE_URL: 'postgresql://x@h/d', DB_HOST: 'ignored' }).DATABASE_URL).toBe('postgresql://x@h/d');
  });
});

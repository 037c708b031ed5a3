import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../../tooling/test/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../../packages/db/test/test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    /** The app's database (RLS applies): remote-signing.e2e.ts reads the mailed signing link's token from the outgoing mail. */
    databaseUrl: string;
  }
}

const webRoot = path.resolve(import.meta.dirname, '..');
const apiRoot = path.resolve(webRoot, '..', 'api');
const workerRoot = path.resolve(webRoot, '..', 'worker');
let database: TestDatabase | undefined;
let api: ChildProcess | undefined;
let worker: ChildProcess | undefined;
const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
// Names of this run's own on the shared NATS server.
const runId = randomBytes(4).toString('hex');
const events = { EVENTS_STREAM: `E2E_${runId}`, EVENTS_SUBJECT_PREFIX: `e2e_${runId}.events` };
// One document storage for both: the worker stores the signed contract PDFs the API serves.
const documentsDir = path.join(tmpdir(), `crm-e2e-documents-${runId}`);
// Letters go to the fake Maileva the API serves, which calls the API's webhook back, a step every 1.5 s.
const mailevaSecret = randomBytes(24).toString('base64url');
const maileva = (baseURL: string) => ({ MAILEVA_ENV: 'fake', MAILEVA_FAKE_URL: `${baseURL}/maileva-fake`, MAILEVA_WEBHOOK_SECRET: mailevaSecret, MAILEVA_FAKE_STEP_MS: '1500' });


export async function setup(project: TestProject): Promise<void> {
  // A production build, as users get it (vitest sets NODE_ENV=test, which would build React's development bundle).
  const build = spawnSync(path.join(webRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: webRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error('vite build failed');
  database = await createTestDatabase('crm_e2e');
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  // The worker turns events into notifications, which the web app receives live.
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(workerRoot, 'src', 'main.ts')], {
    cwd: workerRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: database.appUrl, NATS_URL: natsUrl, WORKER_HEALTH_PORT: '0', LOG_LEVEL: 'warn', DOCUMENTS_DIR: documentsDir, ...events, ...maileva(baseURL) },
  });
  api = spawn(process.execPath, ['--import', 'tsx', path.join(apiRoot, 'src', 'main.ts')], {
    cwd: apiRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.appUrl,
      NATS_URL: natsUrl,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_ORIGIN: baseURL,
      WEB_DIST: path.join(webRoot, 'dist'),
      LOG_LEVEL: 'warn',
      DOCUMENTS_DIR: documentsDir,
      ...maileva(baseURL),
      // Sign-ups are verified through the captured mail; the browser tests stand for a reverse proxy
      // on loopback that gives each person an address of their own (X-Forwarded-For).
      MAIL_CAPTURE: 'true',
      TRUST_PROXY: 'loopback',
      // Mail accounts can be connected (an SMTP account; no OAuth provider is configured here).
      MAIL_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  });
  // Generous: a cold start on a busy 2-core CI machine (tsx compiling the API) has taken over 30 s.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await fetch(`${baseURL}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline || api.exitCode !== null) throw new Error('the API did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  project.provide('baseURL', baseURL);
  project.provide('databaseUrl', database.appUrl);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function teardown(): Promise<void> {
  await Promise.all([stop(api), stop(worker)]);
  const nc = await connect({ servers: natsUrl });
  await (await jetstreamManager(nc)).streams.delete(events.EVENTS_STREAM).catch(() => false);
  await nc.close();
  await database?.drop();
}

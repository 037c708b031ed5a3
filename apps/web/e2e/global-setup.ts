import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../../tooling/test/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../../packages/db/test/test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const webRoot = path.resolve(import.meta.dirname, '..');
const apiRoot = path.resolve(webRoot, '..', 'api');
let database: TestDatabase | undefined;
let api: ChildProcess | undefined;


export async function setup(project: TestProject): Promise<void> {
  const build = spawnSync(path.join(webRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: webRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  database = await createTestDatabase('crm_e2e');
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  api = spawn(process.execPath, ['--import', 'tsx', path.join(apiRoot, 'src', 'main.ts')], {
    cwd: apiRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.appUrl,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      PORT: String(port),
      HOST: '127.0.0.1',
      WEB_ORIGIN: baseURL,
      WEB_DIST: path.join(webRoot, 'dist'),
      LOG_LEVEL: 'warn',
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${baseURL}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline || api.exitCode !== null) throw new Error('the API did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  project.provide('baseURL', baseURL);
}

export async function teardown(): Promise<void> {
  if (api && api.exitCode === null) {
    const exited = new Promise((resolve) => api!.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
  }
  await database?.drop();
}

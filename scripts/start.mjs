#!/usr/bin/env node
// `npm start`: builds the web app, then
// - without DATABASE_URL: the whole CRM in one process on an embedded PostgreSQL (PGlite);
// - with DATABASE_URL (and NATS_URL): migrations (as MIGRATE_DATABASE_URL, the owner), then the
//   API (serving the built web app) and the worker, each its own process, on the real servers.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = process.env;
const tsx = path.join(root, 'apps', 'api', 'node_modules', '.bin', 'tsx');

function must(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

must('pnpm', ['--filter', '@crm/web', 'build', '--logLevel', 'warn']);

const children = [];
function launch(name, file, extraEnv = {}) {
  const child = spawn(tsx, [file], { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the others`);
      stop('SIGTERM');
      process.exitCode = code ?? 1;
    }
  });
  children.push(child);
}
let stopping = false;
function stop(signal) {
  stopping = true;
  for (const child of children) child.kill(signal);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

if (!env.DATABASE_URL) {
  launch('crm', 'apps/api/src/embedded.ts');
} else {
  if (env.MIGRATE_DATABASE_URL) must('pnpm', ['--filter', '@crm/db', 'db:deploy']);
  const webDist = path.join(root, 'apps', 'web', 'dist');
  launch('api', 'apps/api/src/main.ts', { WEB_DIST: env.WEB_DIST ?? webDist });
  if (env.NATS_URL) launch('worker', 'apps/worker/src/main.ts');
  else console.warn('NATS_URL is not set: the worker is not started (the API runs alone).');
}

#!/usr/bin/env node
// The two Quick start commands, for a fresh clone with only Node 20+:
//   npm start   -> the whole CRM (embedded PostgreSQL unless DATABASE_URL is set)
//   npm test    -> lint, typecheck, integration tests on PostgreSQL + NATS, browser test
// It brings the pinned pnpm (from the npm registry) when none is installed, installs the
// workspace when needed, then runs scripts/start.mjs in this very process (so the signals npm
// forwards reach it, and it forwards them to what it starts), or the test script through pnpm.
// Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '').split('+')[0];
const task = process.argv[2];
const tasks = { start: 'scripts/start.mjs', test: 'test:all', install: 'install' };
if (!tasks[task]) {
  console.error(`usage: node scripts/crm.mjs ${Object.keys(tasks).join('|')}`);
  process.exit(2);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

// Use the installed pnpm when it is the pinned major, else run the pinned one through npm exec
// (which also puts it on PATH for turbo, which calls `pnpm` itself).
const installed = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
const hasPnpm = installed.status === 0 && installed.stdout.trim().split('.')[0] === pnpmVersion.split('.')[0];
const pnpm = (args) =>
  hasPnpm ? run('pnpm', args) : run('npm', ['exec', '--yes', `--package=pnpm@${pnpmVersion}`, '--', 'pnpm', ...args]);

const marker = path.join(root, 'node_modules', '.modules.yaml');
const lock = path.join(root, 'pnpm-lock.yaml');
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  const status = pnpm(['install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
}
if (task === 'install') {
  // done above (scripts/db.mjs on a fresh clone)
} else if (task === 'start') {
  await import('./start.mjs');
} else {
  process.exit(pnpm(['run', tasks[task]]));
}

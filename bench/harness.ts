import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../tooling/test/free-port.ts';

export { freePort };

/**
 * The benchmark harness: a subject and its baseline run in the same process tree, on the same
 * machine, one after the other and twice each (ABAB), and only their ratio is reported, so the
 * figures mean something whatever the machine's speed.
 */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** One body per connection, in turn (e.g. each connection logs in as its own account). */
  bodies?: string[];
  connections?: number;
  seconds?: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const bodies = options.bodies;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    ...(bodies ? { setupClient: (client: autocannon.Client) => client.setBody(bodies[next++ % bodies.length]) } : {}),
    connections: options.connections ?? 16,
    duration: options.seconds ?? 6,
  });
  // autocannon's latency percentiles are in milliseconds; p95 is not in its summary: take p97.5.
  const latency = result.latency as unknown as Record<string, number>;
  return {
    requestsPerSecond: result.requests.average,
    p50: latency.p50 ?? 0,
    p95: latency.p97_5 ?? 0,
    p99: latency.p99 ?? 0,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function mean(results: LoadResult[]): LoadResult {
  const avg = (pick: (r: LoadResult) => number) => results.reduce((s, r) => s + pick(r), 0) / results.length;
  return {
    requestsPerSecond: avg((r) => r.requestsPerSecond),
    p50: avg((r) => r.p50),
    p95: avg((r) => r.p95),
    p99: avg((r) => r.p99),
    errors: results.reduce((s, r) => s + r.errors, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
  };
}



/** Starts a TypeScript entry point as its own process and waits until `readyUrl` answers. */
export async function startProcess(entry: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  // BENCH_PROFILE=<dir>: each server writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], { cwd: import.meta.dirname, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await fetch(readyUrl).then((r) => r.ok, () => false)) return child;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${entry} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The real API (apps/api/src/main.ts) as its own process on `databaseUrl`. */
export async function startApi(databaseUrl: string, jwtSecret: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = await startProcess(
    path.resolve(import.meta.dirname, '..', 'apps', 'api', 'src', 'main.ts'),
    // Mail capture lets the bench follow sign-up links; the bench stands for a proxy on loopback that
    // gives each signing-up "person" an address of their own (the per-IP sign-up limit).
    { DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production', MAIL_CAPTURE: 'true', TRUST_PROXY: 'loopback', ...env },
    `http://127.0.0.1:${port}/ready`,
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

/** A baseline server of servers/ as its own process. */
export async function startBaseline(file: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = await startProcess(path.join(import.meta.dirname, 'servers', file), { ...env, PORT: String(port) }, `http://127.0.0.1:${port}/ready`);
  return { url: `http://127.0.0.1:${port}`, child };
}

let people = 0;

/**
 * A new person signed up through the API as the web app does it: the sign-up, the link of the
 * captured verification mail, then the session it opens. Each comes from an address of its own.
 */
export async function signUpOverHttp(apiUrl: string, person: { name: string; email: string; password: string; organisationName: string }) {
  const from = { 'content-type': 'application/json', 'x-forwarded-for': `198.18.${Math.floor(people / 250)}.${1 + (people++ % 250)}` };
  const asked = await fetch(`${apiUrl}/trpc/auth.signUp`, { method: 'POST', headers: from, body: JSON.stringify(person) });
  if (!asked.ok) throw new Error(`sign-up refused: ${asked.status} ${await asked.text()}`);
  const mails = await fetch(`${apiUrl}/trpc/capturedMails.list?input=${encodeURIComponent(JSON.stringify({ to: person.email }))}`);
  const link = ((await mails.json()) as { result: { data: { link: string }[] } }).result.data[0]!.link;
  const verified = await fetch(`${apiUrl}/trpc/auth.verifyEmail`, { method: 'POST', headers: from, body: JSON.stringify({ token: link.split('#')[1] }) });
  const data = ((await verified.json()) as { result: { data: { accessToken: string; organisationId: string } } }).result.data;
  return { token: data.accessToken, tenantId: data.organisationId };
}

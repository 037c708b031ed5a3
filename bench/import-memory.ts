import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { createTestDatabase } from '@crm/db/testing';
import { freePort } from './harness.ts';

// Peak memory of the real processes for an import file of about 100 MB (1,000,000 rows): the
// API (`/imports/clients` streamed to a spool file and copied into the import's slices, then
// the dry run reading them back), and the worker (the run, slice after slice). Peak RSS is
// each process's VmHWM (Linux /proc), read before and after each step.
const ROWS = Number(process.env.BENCH_MEMORY_ROWS ?? 950_000);
const root = path.resolve(import.meta.dirname, '..');
const database = await createTestDatabase('crm_bench_import_memory');
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const file = path.join(tmpdir(), `crm-bench-import-${randomBytes(4).toString('hex')}.csv`);

const FIRST = ['Hélène', 'Jean', 'François', 'Chloé', 'Loïc', 'Anaïs', 'Pierre', 'Zoé', 'Jérôme', 'Céline'];
const LAST = ['Lefèvre', 'Martin', 'Bernard', 'Dubois', 'Müller', 'Ñúñez', 'Petit', 'Durand', 'Leroy', 'Moreau'];
const PLACES = [['75011', 'Paris'], ['69003', 'Lyon'], ['33000', 'Bordeaux'], ['13001', 'Marseille'], ['31000', 'Toulouse']] as const;

async function writeCsv() {
  const out = createWriteStream(file);
  out.write('Prénom;Nom;Email;Mobile;Adresse;Code postal;Ville;Date de naissance\r\n');
  for (let i = 0; i < ROWS; i++) {
    const [postalCode, city] = PLACES[i % 5]!;
    const mobile = `06 ${String(10_000_000 + i).padStart(8, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}`;
    const birth = i % 3 === 0 ? `${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/19${50 + (i % 50)}` : '';
    const line = `${FIRST[i % 10]};${LAST[Math.floor(i / 10) % 10]}${i};client${i}@example.test;${mobile};${1 + (i % 120)} rue de la République;${postalCode};${city};${birth}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Peak and current resident memory of a process, in MB. */
function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

function start(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.dirname(path.dirname(script)), stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const api = start(path.join(root, 'apps/api/src/main.ts'), {
  NODE_ENV: 'production', DATABASE_URL: database.appUrl, JWT_SECRET: randomBytes(36).toString('base64url'), PORT: String(port), LOG_LEVEL: 'warn',
  WEB_ORIGIN: base, DOCUMENTS_DIR: path.join(tmpdir(), 'crm-bench-docs'),
});
let worker: ChildProcess | undefined;
try {
  await writeCsv();
  const size = statSync(file).size;
  for (let i = 0; !(await fetch(`${base}/ready`).then((r) => r.ok, () => false)); i++) {
    if (i > 240) throw new Error('the API did not start');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const trpc = async <T>(token: string | null, procedure: string, input: unknown, method: 'GET' | 'POST' = 'POST'): Promise<T> => {
    const response = await fetch(`${base}/trpc/${procedure}${method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
    });
    const json = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!json.result) throw new Error(`${procedure}: ${JSON.stringify(json.error)}`);
    return json.result.data;
  };
  const session = await trpc<{ accessToken: string }>(null, 'auth.signUp', { name: 'Bench Mémoire', email: `bench.${randomBytes(4).toString('hex')}@example.test`, password: 'a bench password', organisationName: 'Bench mémoire' });
  const token = session.accessToken;

  const apiIdle = memory(api.pid!);
  let t = performance.now();
  const response = await fetch(`${base}/imports/clients?fileName=bench.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    ...({ duplex: 'half' } as object),
  });
  const uploaded = (await response.json()) as { id: string; suggestedMapping: unknown[]; totalRows: number };
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(uploaded)}`);
  const uploadMs = performance.now() - t;
  const apiAfterUpload = memory(api.pid!);
  t = performance.now();
  const report = await trpc<{ validRows: number }>(token, 'clientImports.dryRun', { importId: uploaded.id, mapping: uploaded.suggestedMapping, duplicatePolicy: 'skip' });
  const dryRunMs = performance.now() - t;
  const apiAfterDryRun = memory(api.pid!);
  if (report.validRows !== ROWS) throw new Error(`dry run: ${report.validRows} valid rows`);

  worker = start(path.join(root, 'apps/worker/src/main.ts'), { DATABASE_URL: database.appUrl, NATS_URL: natsUrl, WORKER_HEALTH_PORT: '0', LOG_LEVEL: 'warn', EVENTS_STREAM: `BENCH_MEM_${randomBytes(3).toString('hex')}`, EVENTS_SUBJECT_PREFIX: `bench_mem_${randomBytes(3).toString('hex')}.events` });
  await new Promise((resolve) => setTimeout(resolve, 8_000)); // started and idle
  const workerIdle = memory(worker.pid!);
  t = performance.now();
  await trpc(token, 'clientImports.start', { importId: uploaded.id });
  let job: { status: string; insertedRows: number } = { status: 'queued', insertedRows: 0 };
  while (job.status !== 'succeeded' && job.status !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await trpc<typeof job>(token, 'clientImports.get', { importId: uploaded.id }, 'GET');
  }
  const runMs = performance.now() - t;
  const workerAfter = memory(worker.pid!);
  if (job.status !== 'succeeded' || job.insertedRows !== ROWS) throw new Error(`import ${job.status}: ${job.insertedRows} rows`);

  const mb = (n: number) => n.toFixed(0).padStart(6);
  console.log(`\nclient import of ${ROWS.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(1)} MB (${(size / 1024 / 1024).toFixed(1)} MiB): peak RSS (VmHWM) of the real processes\n`);
  console.log('| process, step                          | peak RSS MB | RSS now MB | s      |');
  console.log('|---|---:|---:|---:|');
  console.log(`| API, signed up and idle                | ${mb(apiIdle.peak)} | ${mb(apiIdle.now)} |        |`);
  console.log(`| API, after the upload (streamed)       | ${mb(apiAfterUpload.peak)} | ${mb(apiAfterUpload.now)} | ${(uploadMs / 1000).toFixed(1).padStart(6)} |`);
  console.log(`| API, after the dry run (read in slices)| ${mb(apiAfterDryRun.peak)} | ${mb(apiAfterDryRun.now)} | ${(dryRunMs / 1000).toFixed(1).padStart(6)} |`);
  console.log(`| worker, started and idle               | ${mb(workerIdle.peak)} | ${mb(workerIdle.now)} |        |`);
  console.log(`| worker, after the import run           | ${mb(workerAfter.peak)} | ${mb(workerAfter.now)} | ${(runMs / 1000).toFixed(1).padStart(6)} |`);
} finally {
  worker?.kill('SIGTERM');
  api.kill('SIGTERM');
  await rm(file, { force: true });
  for (const child of [api, worker]) if (child && child.exitCode === null) await once(child, 'exit');
  await database.drop();
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createDb, newId, withTenant, type Db } from '@crm/db';
import pg from 'pg';
import { createTestDatabase } from '@crm/db/testing';
import {
  createVerifiedAccount,
  derivedColumns,
  dryRunClientImport,
  hashPassword,
  runClientImport,
  startClientImport,
  systemClock,
  uploadClientImport,
  type TenantDeps,
} from '@crm/domain';
import { fmt } from './harness.ts';

// Client CSV import: ROWS generated French clients (names with accents, email, mobile, address,
// birth date for one in three) imported through the domain (decode, validate with the form's
// schema, duplicate check, set-based INSERT ... SELECT FROM unnest() with client.created in the
// outbox, one transaction), against a raw `COPY clients FROM STDIN` (psql, as the database
// owner, no validation, no events) of the same rows with the same derived columns. ABAB, each
// round into a fresh tenant of the same table.
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const database = await createTestDatabase('crm_bench_import');
const db = createDb({ url: database.appUrl, poolSize: 4 });

const FIRST = ['Hélène', 'Jean', 'François', 'Chloé', 'Loïc', 'Anaïs', 'Pierre', 'Zoé', 'Jérôme', 'Céline'];
const LAST = ['Lefèvre', 'Martin', 'Bernard', 'Dubois', 'Müller', 'Ñúñez', 'Petit', 'Durand', 'Leroy', 'Moreau'];
const PLACES = [['75011', 'Paris'], ['69003', 'Lyon'], ['33000', 'Bordeaux'], ['13001', 'Marseille'], ['31000', 'Toulouse']] as const;
const rows = Array.from({ length: ROWS }, (_, i) => {
  const first = FIRST[i % 10]!;
  const last = `${LAST[Math.floor(i / 10) % 10]!}${i}`;
  const [postalCode, city] = PLACES[i % 5]!;
  const mobileDigits = String(10_000_000 + i).padStart(8, '0');
  return {
    first,
    last,
    email: `client${i}@example.test`,
    mobile: `06 ${mobileDigits.replace(/(\d\d)(?=\d)/g, '$1 ')}`,
    mobileE164: `+336${mobileDigits}`,
    line1: `${1 + (i % 120)} rue de la République`,
    postalCode,
    city,
    birthDate: i % 3 === 0 ? `${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/19${50 + (i % 50)}` : '',
  };
});
const csv = `Prénom;Nom;Email;Mobile;Adresse;Code postal;Ville;Date de naissance\r\n${rows
  .map((r) => [r.first, r.last, r.email, r.mobile, r.line1, r.postalCode, r.city, r.birthDate].join(';'))
  .join('\r\n')}\r\n`;
const bytes = new TextEncoder().encode(csv);

async function newOwner(db: Db) {
  const { userId, tenantId } = await createVerifiedAccount({ db }, {
    name: 'Bench',
    email: `bench.${randomBytes(4).toString('hex')}@example.test`,
    passwordHash: await hashPassword('a bench password'),
    organisationName: 'Import bench',
  });
  const member = await withTenant(db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId } }));
  const run = <R>(f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(db, tenantId, (tx) => f({ tx, now: new Date(), actor: { userId, tenantId, memberId: member.id, role: 'owner' } }), { timeoutMs: 120_000 });
  return { tenantId, run };
}

/**
 * CPU time used so far by each PostgreSQL process of this machine, in ms by pid (Linux /proc,
 * USER_HZ 100; empty elsewhere): the database's own work, whatever the client waits for.
 */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return cpu;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      cpu.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return cpu;
}
/** PostgreSQL CPU used since `before`: all its processes, and the busiest one (the import's own connection on a quiet machine). */
function postgresCpuSince(before: Map<number, number>): { all: number; busiest: number } | null {
  const after = postgresCpu();
  if (after.size === 0) return null;
  let all = 0;
  let busiest = 0;
  for (const [pid, used] of after) {
    const ms = used - (before.get(pid) ?? 0);
    all += ms;
    busiest = Math.max(busiest, ms);
  }
  return { all, busiest };
}

/**
 * Before each timed part: the tables vacuumed and analysed and a checkpoint done (not timed),
 * so that neither side pays for autovacuum woken by the other's rows, nor for the first
 * full-page writes after a checkpoint the other one triggered.
 */
async function settle() {
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  try {
    await owner.query('VACUUM ANALYZE clients, outbox_events');
    await owner.query('CHECKPOINT');
  } finally {
    await owner.end();
  }
}

async function subject() {
  const owner = await newOwner(db);
  const t0 = performance.now();
  const uploaded = await owner.run((deps) => uploadClientImport(deps, { fileName: 'bench.csv', content: bytes }));
  const t1 = performance.now();
  const report = await owner.run((deps) => dryRunClientImport(deps, { importId: uploaded.id, mapping: uploaded.suggestedMapping, duplicatePolicy: 'skip' }));
  if (report.validRows !== ROWS) throw new Error(`dry run: ${report.validRows} valid rows, ${JSON.stringify(report.errors.slice(0, 3))}`);
  await owner.run((deps) => startClientImport(deps, { importId: uploaded.id }));
  const t2 = performance.now();
  await settle();
  const cpuBefore = postgresCpu();
  const result = await runClientImport({ db, clock: systemClock }, { tenantId: owner.tenantId, importId: uploaded.id });
  const pgCpu = postgresCpuSince(cpuBefore);
  if (result.outcome !== 'succeeded' || result.insertedRows !== ROWS) throw new Error(`import ${result.outcome}: ${String(result.error)}`);
  return { uploadMs: t1 - t0, dryRunMs: t2 - t1, runMs: result.totalMs, dbMs: result.dbMs, pgCpu };
}

/** The same rows as COPY sees them: validated values and derived columns computed beforehand (not timed). */
function copyData(tenantId: string): string {
  const now = new Date().toISOString();
  const quote = (v: string) => (v === '' ? '' : `"${v.replace(/"/g, '""')}"`);
  return rows
    .map((r) => {
      const derived = derivedColumns({ kind: 'person', firstName: r.first, lastName: r.last, email: r.email, mobile: r.mobileE164 });
      const birth = r.birthDate ? r.birthDate.split('/').reverse().join('-') : '';
      return [tenantId, newId(), 'person', r.first, r.last, r.email, r.mobileE164, r.line1, r.postalCode, r.city, birth, derived.displayName, derived.sortName, derived.searchText, now].map(quote).join(',');
    })
    .join('\n');
}

async function baseline() {
  const owner = await newOwner(db);
  const data = copyData(owner.tenantId);
  await settle();
  const cpuBefore = postgresCpu();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const psql = spawn('psql', [database.ownerUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
      '\\copy clients (tenant_id, id, kind, first_name, last_name, email, mobile, address_line1, postal_code, city, birth_date, display_name, sort_name, search_text, updated_at) FROM STDIN WITH (FORMAT csv)'], { stdio: ['pipe', 'inherit', 'inherit'] });
    psql.on('error', reject);
    psql.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`))));
    psql.stdin.end(data);
  });
  const copyMs = performance.now() - t0;
  return { copyMs, pgCpu: postgresCpuSince(cpuBefore) };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
try {
  const subjects: Awaited<ReturnType<typeof subject>>[] = [];
  const baselines: Awaited<ReturnType<typeof baseline>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselines.push(await baseline());
    subjects.push(await subject());
  }
  const avg = <T>(list: T[], pick: (t: T) => number) => list.reduce((s, t) => s + pick(t), 0) / list.length;
  const seconds = (ms: number) => fmt(ms / 1000, 2).padStart(6);
  const runMs = avg(subjects, (s) => s.runMs);
  const dbMs = avg(subjects, (s) => s.dbMs);
  const copyMs = avg(baselines, (b) => b.copyMs);
  const cpu = [...subjects, ...baselines].every((r) => r.pgCpu !== null);
  const importCpu = cpu ? avg(subjects, (s) => s.pgCpu!.busiest) : 0;
  const perSecond = (ms: number) => fmt((ROWS / ms) * 1000);
  console.log(`\nclient CSV import, ${ROWS.toLocaleString('en-US')} rows (${(bytes.length / 1e6).toFixed(1)} MB), ${ROUNDS} rounds each, ABAB, each after VACUUM ANALYZE and CHECKPOINT\n`);
  console.log('| run                                                      | time s | rows/s  |');
  console.log('|----------------------------------------------------------|-------:|--------:|');
  console.log(`| upload (decode, detect, store the file)                  | ${seconds(avg(subjects, (s) => s.uploadMs))} |         |`);
  console.log(`| dry run (validate every row, duplicate check)            | ${seconds(avg(subjects, (s) => s.dryRunMs))} |         |`);
  console.log(`| import run (domain: validate, dedupe, unnest + outbox)   | ${seconds(runMs)} | ${perSecond(runMs).padStart(7)} |`);
  console.log(`|   of which a statement in flight                         | ${seconds(dbMs)} |         |`);
  if (cpu) {
    console.log(`|   PostgreSQL CPU: the import's connection                | ${seconds(importCpu)} |         |`);
    console.log(`|   PostgreSQL CPU: all its processes                      | ${seconds(avg(subjects, (s) => s.pgCpu!.all))} |         |`);
  }
  console.log(`| baseline: psql \\copy clients FROM STDIN (no checks)      | ${seconds(copyMs)} | ${perSecond(copyMs).padStart(7)} |`);
  if (cpu) {
    console.log(`|   PostgreSQL CPU: the COPY's connection                  | ${seconds(avg(baselines, (b) => b.pgCpu!.busiest))} |         |`);
    console.log(`|   PostgreSQL CPU: all its processes                      | ${seconds(avg(baselines, (b) => b.pgCpu!.all))} |         |`);
  }
  console.log(`\nratio: import rows/s / COPY rows/s = ${fmt(copyMs / runMs, 2)} (goal >= 0.5)`);
  console.log(`import database work: ${cpu ? `${fmt(importCpu / 1000, 2)} s of PostgreSQL CPU on its connection, ` : ''}${fmt(dbMs / 1000, 2)} s with a statement in flight (goal <= 5 s)`);
  console.log(`rounds (import s / COPY s): ${subjects.map((s, i) => `${fmt(s.runMs / 1000, 2)}/${fmt(baselines[i]!.copyMs / 1000, 2)}`).join(', ')}`);
} finally {
  await db.$disconnect();
  await database.drop();
}

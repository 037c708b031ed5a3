import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createTestDatabase } from '@crm/db/testing';
import { fmt, load, mean, signUpOverHttp, startApi, startBaseline, stopProcess, type LoadResult } from './harness.ts';

// `pnpm bench`: every benchmark, each against its baseline measured in the same run.
// Figures go to docs/benchmarks.md by hand, with the date and the machine (the README keeps the last ratios).
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const connections = 16;

const database = await createTestDatabase('crm_bench');
const jwtSecret = randomBytes(36).toString('base64url');
const api = await startApi(database.appUrl, jwtSecret);
const raw = await startBaseline('raw-me-server.ts', { DATABASE_URL: database.appUrl, JWT_SECRET: jwtSecret });

try {
  const password = 'a benchmark password';
  // One account per connection: the login throttle counts a check before it runs, so one account
  // logging in 16 times at once would be refused (as it should: that is what an attack looks like).
  const accounts = Array.from({ length: connections }, () => `bench.${randomBytes(4).toString('hex')}@example.test`);
  const tokens: string[] = [];
  for (const email of accounts) tokens.push((await signUpOverHttp(api.url, { name: 'Bench', email, password, organisationName: 'Bench SAS' })).token);
  const auth = { authorization: `Bearer ${tokens[0]!}` };

  // 1. auth.me through Express + tRPC + Prisma under RLS, against bare node:http + pg.
  const subject: LoadResult[] = [];
  const baseline: LoadResult[] = [];
  await load({ url: `${api.url}/trpc/auth.me`, headers: auth, seconds: 2, connections }); // warm-up
  await load({ url: `${raw.url}/me`, headers: auth, seconds: 2, connections });
  for (let round = 0; round < 2; round++) {
    subject.push(await load({ url: `${api.url}/trpc/auth.me`, headers: auth, seconds, connections }));
    baseline.push(await load({ url: `${raw.url}/me`, headers: auth, seconds, connections }));
  }
  const me = mean(subject);
  const bare = mean(baseline);

  // 2. login (argon2id verify + session rows) against argon2id hashing alone.
  const login = await load({
    url: `${api.url}/trpc/auth.logIn`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    bodies: accounts.map((email) => JSON.stringify({ email, password })),
    seconds,
    connections,
  });
  const argon = JSON.parse(
    execFileSync(path.join(import.meta.dirname, 'node_modules', '.bin', 'tsx'), [path.join(import.meta.dirname, 'servers', 'argon2-ops.ts'), String(connections), String(seconds)], { encoding: 'utf8' }),
  ) as { opsPerSecond: number };

  const row = (name: string, r: LoadResult) =>
    `| ${name.padEnd(40)} | ${fmt(r.requestsPerSecond).padStart(8)} | ${fmt(r.p50, 1).padStart(6)} | ${fmt(r.p95, 1).padStart(6)} | ${fmt(r.p99, 1).padStart(6)} | ${String(r.errors + r.non2xx).padStart(6)} |`;
  console.log(`\n${connections} connections, ${seconds} s per run, loopback, ${new Date().toISOString()}\n`);
  console.log('| run                                      |    req/s | p50 ms | p95 ms | p99 ms | errors |');
  console.log('|------------------------------------------|---------:|-------:|-------:|-------:|-------:|');
  console.log(row('auth.me via Express + tRPC + Prisma (RLS)', me));
  console.log(row('baseline: node:http + pg, same SQL', bare));
  console.log(row('auth.logIn (argon2id + session)', login));
  console.log(`| ${'baseline: argon2id hash alone'.padEnd(40)} | ${fmt(argon.opsPerSecond).padStart(8)} |      - |      - |      - |      - |`);
  console.log(`\nratios: auth.me / bare = ${fmt(me.requestsPerSecond / bare.requestsPerSecond, 2)}; login / argon2id = ${fmt(login.requestsPerSecond / argon.opsPerSecond, 2)}`);
  console.log('(p95 column: autocannon reports p97.5, the nearest it has)');
} finally {
  await Promise.all([stopProcess(api.child), stopProcess(raw.child)]);
  await database.drop();
}

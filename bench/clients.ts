import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@crm/db/testing';
import pg from 'pg';
import { fmt, load, mean, signUpOverHttp, startApi, startBaseline, stopProcess, type LoadResult } from './harness.ts';

// clients.list: one tenant of 100k clients among 10 tenants, 50 rows by name, through tRPC
// against bare node:http + pg running the same SQL; and page 1 against a page 10,000 rows deep.
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const BIG = Number(process.env.BENCH_CLIENTS ?? 100_000);
const OTHERS = Number(process.env.BENCH_OTHER_CLIENTS ?? 20_000);
const database = await createTestDatabase('crm_bench_clients');
const jwtSecret = randomBytes(36).toString('base64url');
const api = await startApi(database.appUrl, jwtSecret);
const raw = await startBaseline('raw-clients-server.ts', { DATABASE_URL: database.appUrl, JWT_SECRET: jwtSecret });
const owner = new pg.Client({ connectionString: database.ownerUrl });
await owner.connect();

try {
  const tokens: { token: string; tenantId: string }[] = [];
  for (let i = 0; i < 10; i++) {
    tokens.push(await signUpOverHttp(api.url, { name: 'Bench', email: `bench${i}.${randomBytes(3).toString('hex')}@example.test`, password: 'a bench password', organisationName: `Tenant ${i}` }));
  }
  const started = Date.now();
  for (const [i, { tenantId }] of tokens.entries()) {
    // Set-based: realistic French names, folded sort and search columns, as the domain writes them.
    await owner.query(
      `INSERT INTO clients (id, tenant_id, kind, first_name, last_name, email, display_name, sort_name, search_text, status, updated_at)
       SELECT crm_uuid_v7(), $1, 'person', f, l, lower(f || '.' || l || n || '@example.test'), upper(l) || ' ' || f, lower(l || ' ' || f),
              lower(f || ' ' || l || ' ' || f || '.' || l || n || '@example.test'), 'active', now()
       FROM generate_series(1, $2) AS n,
            LATERAL (SELECT (ARRAY['Marie','Jean','Pierre','Sophie','Luc','Anne','Paul','Julie','Marc','Claire'])[1 + n % 10] AS f,
                            (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau'])[1 + (n / 10) % 10] || (n % 997)::text AS l) names`,
      [tenantId, i === 0 ? BIG : OTHERS],
    );
  }
  await owner.query('ANALYZE clients');
  const seeded = Date.now() - started;
  const big = tokens[0]!;
  const auth = { authorization: `Bearer ${big.token}` };
  const list = (input: object) => `${api.url}/trpc/clients.list?input=${encodeURIComponent(JSON.stringify(input))}`;
  // The cursor of the page 10,000 rows deep, as the API would have handed it out (list-clients.ts: name, format version, sort key, id).
  const { rows } = await owner.query<{ sort_name: string; id: string }>(
    `SELECT sort_name, id FROM clients WHERE tenant_id = $1 ORDER BY sort_name, id OFFSET 9999 LIMIT 1`,
    [big.tenantId],
  );
  const deepCursor = Buffer.from(JSON.stringify(['clients-name/1', rows[0]!.sort_name, rows[0]!.id])).toString('base64url');

  await load({ url: list({ limit: 50 }), headers: auth, seconds: 2 });
  await load({ url: `${raw.url}/`, headers: auth, seconds: 2 });
  const first: LoadResult[] = [];
  const bare: LoadResult[] = [];
  const deep: LoadResult[] = [];
  const found: LoadResult[] = [];
  // A search as typed in the list's box: a rare name (about 10 of the 100,000), with an accent
  // and upper case; through the trigram index, as the application role (row-level security).
  const search = list({ limit: 50, search: 'Bérnard42 ' });
  for (let round = 0; round < 2; round++) {
    first.push(await load({ url: list({ limit: 50 }), headers: auth, seconds }));
    bare.push(await load({ url: `${raw.url}/`, headers: auth, seconds }));
    deep.push(await load({ url: list({ limit: 50, cursor: deepCursor }), headers: auth, seconds }));
    found.push(await load({ url: search, headers: auth, seconds }));
  }
  const [f, b, d, s] = [mean(first), mean(bare), mean(deep), mean(found)];
  const row = (name: string, r: LoadResult) =>
    `| ${name.padEnd(44)} | ${fmt(r.requestsPerSecond).padStart(7)} | ${fmt(r.p50, 1).padStart(6)} | ${fmt(r.p95, 1).padStart(6)} | ${fmt(r.p99, 1).padStart(6)} | ${String(r.errors + r.non2xx).padStart(6)} |`;
  console.log(`\nclients.list, ${BIG.toLocaleString('en-US')} clients in the measured tenant, ${(BIG + 9 * OTHERS).toLocaleString('en-US')} over 10 tenants (seeded in ${(seeded / 1000).toFixed(1)} s), 16 connections\n`);
  console.log('| run                                          |   req/s | p50 ms | p95 ms | p99 ms | errors |');
  console.log('|----------------------------------------------|--------:|-------:|-------:|-------:|-------:|');
  console.log(row('clients.list page 1 via tRPC + Prisma (RLS)', f));
  console.log(row('baseline: node:http + pg, same SQL', b));
  console.log(row('clients.list 10,000 rows deep (keyset)', d));
  console.log(row('clients.list search "Bérnard42" (trigram)', s));
  console.log(`\nratios: tRPC / bare = ${fmt(f.requestsPerSecond / b.requestsPerSecond, 2)} (goal >= 0.5); page-1 time / deep-page time = ${fmt(f.requestsPerSecond / d.requestsPerSecond, 2)} (goal <= 1.5); page-1 time / search time = ${fmt(f.requestsPerSecond / s.requestsPerSecond, 2)}`);
} finally {
  await owner.end();
  await Promise.all([stopProcess(api.child), stopProcess(raw.child)]);
  await database.drop();
}

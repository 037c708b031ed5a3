import { createTestDatabase } from '@crm/db/testing';
import pg from 'pg';

// What the client scope policies on tables hanging on a client cost (migration
// *_client_scope_everywhere): EXPLAIN ANALYZE of list and one-record reads as the application
// role, with the policies (after) and with them dropped in the same transaction (before), for a
// member who sees every client (crm_app), a team manager (10% of the clients, crm_app_scoped)
// and a sales member (2%). One tenant of BENCH_CLIENTS clients over 50 reps (a contract, a
// mandate, 3 schedule items, a payment and an activity each) beside a second of half as many.
// Only ratios mean something (the same machine, ABAB); the plans' shapes are compared too.
const N = Number(process.env.BENCH_CLIENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const A = '00000000-0000-7000-8000-00000000000a';
const rep = (r: number, tenant = 'a') => `00000000-0000-7000-8${r.toString(16).padStart(3, '0')}-${tenant.charCodeAt(0).toString(16).padStart(12, '0')}`;

const database = await createTestDatabase('crm_bench_scopes');
const owner = new pg.Client({ connectionString: database.ownerUrl });
await owner.connect();
try {
  const started = Date.now();
  await owner.query(`SET session_replication_role = replica`); // no foreign-key triggers while loading
  for (const [tenant, letter, n] of [[A, 'a', N], ['00000000-0000-7000-8000-00000000000b', 'b', N / 2]] as const) {
    await owner.query(`INSERT INTO organisations (id, name, updated_at) VALUES ($1::uuid, $1::text, now())`, [tenant]);
    await owner.query(
      `INSERT INTO sales_reps (id, tenant_id, code, first_name, last_name, updated_at)
       SELECT ('00000000-0000-7000-8' || lpad(to_hex(r), 3, '0') || '-' || lpad(to_hex(ascii($2)), 12, '0'))::uuid, $1, 'R' || r, 'F', 'L', now()
       FROM generate_series(1, 50) r`,
      [tenant, letter],
    );
    await owner.query(
      `INSERT INTO clients (id, tenant_id, kind, display_name, sort_name, search_text, sales_rep_id, created_at, updated_at)
       SELECT crm_uuid_v7(), $1, 'company', 'Client ' || i, 'client ' || lpad(i::text, 7, '0'), 'client ' || i,
              ('00000000-0000-7000-8' || lpad(to_hex(1 + i % 50), 3, '0') || '-' || lpad(to_hex(ascii($2)), 12, '0'))::uuid, now() - i * interval '1 second', now()
       FROM generate_series(1, $3::int) i`,
      [tenant, letter, n],
    );
  }
  await owner.query(`INSERT INTO contracts (id, tenant_id, number, client_id, status, billing_frequency, start_date, duration_months, payment_method, created_at, updated_at)
    SELECT crm_uuid_v7(), tenant_id, 'CT-' || id, id, 'active', 'monthly', '2026-01-01', 12, 'sepa_debit', created_at, now() FROM clients`);
  await owner.query(`INSERT INTO sepa_mandates (id, tenant_id, client_id, contract_id, rum, debtor_name, iban, signed_on, signed_place, created_at, updated_at)
    SELECT crm_uuid_v7(), tenant_id, client_id, id, 'RUM-' || id, 'D', 'FR1420041010050500013M02606', '2026-01-01', 'Lyon', created_at, now() FROM contracts`);
  await owner.query(`INSERT INTO schedule_items (id, tenant_id, contract_id, client_id, mandate_id, period_start, period_end, due_date, amount_cents, payment_method, status, updated_at)
    SELECT crm_uuid_v7(), m.tenant_id, m.contract_id, m.client_id, m.id, d, d + 27, d + 4, 1000, 'sepa_debit', CASE WHEN d < '2026-04-01' THEN 'paid'::schedule_item_status ELSE 'planned' END, now()
    FROM sepa_mandates m, (VALUES ('2026-01-01'::date), ('2026-04-01'::date), ('2026-07-01'::date)) p(d)`);
  await owner.query(`INSERT INTO payments (id, tenant_id, schedule_item_id, contract_id, client_id, outcome, method, amount_cents, value_date)
    SELECT crm_uuid_v7(), tenant_id, id, contract_id, client_id, 'received', 'sepa_debit', 1000, due_date + abs(hashtext(id::text) % 60) FROM schedule_items WHERE status = 'paid'`);
  await owner.query(`INSERT INTO activities (id, tenant_id, kind, subject, client_id, owner_user_id, occurred_at, updated_at)
    SELECT crm_uuid_v7(), tenant_id, 'call', 'Appel', id, '00000000-0000-7000-8000-0000000000ff', created_at, now() FROM clients`);
  await owner.query(`SET session_replication_role = origin`);
  await owner.query(`VACUUM ANALYZE`);
  console.log(`loaded ${N} + ${N / 2} clients and what hangs on them in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const { rows: [one] } = await owner.query<{ client: string; contract: string }>(
    `SELECT c.id AS client, k.id AS contract FROM clients c JOIN contracts k ON k.client_id = c.id WHERE c.tenant_id = $1 AND c.sales_rep_id = $2 LIMIT 1`,
    [A, rep(1)],
  );
  // The statements Prisma sends for these reads, in substance (a relation is a lateral join).
  const name = (t: string) => `LEFT JOIN LATERAL (SELECT display_name FROM clients c WHERE c.tenant_id = ${t}.tenant_id AND c.id = ${t}.client_id) c ON true`;
  const queries: Record<string, string> = {
    'payments.items (planned, 100)': `SELECT s.*, c.display_name FROM schedule_items s ${name('s')} WHERE s.tenant_id = '${A}' AND s.status = 'planned' ORDER BY s.due_date, s.id LIMIT 100`,
    'payments.list (100)': `SELECT p.*, c.display_name FROM payments p ${name('p')} WHERE p.tenant_id = '${A}' ORDER BY p.value_date DESC, p.id DESC LIMIT 100`,
    'mandates.list (500)': `SELECT m.*, c.display_name FROM sepa_mandates m ${name('m')} WHERE m.tenant_id = '${A}' ORDER BY m.created_at DESC, m.id DESC LIMIT 500`,
    'contracts.list (51)': `SELECT k.*, c.display_name FROM contracts k JOIN clients c ON c.tenant_id = k.tenant_id AND c.id = k.client_id WHERE k.tenant_id = '${A}' ORDER BY k.created_at DESC, k.id DESC LIMIT 51`,
    'payments.schedule (a contract)': `SELECT s.* FROM schedule_items s WHERE s.tenant_id = '${A}' AND s.contract_id = '${one!.contract}' ORDER BY s.period_start, s.id`,
    'activities.listForClient': `SELECT a.* FROM activities a WHERE a.tenant_id = '${A}' AND a.client_id = '${one!.client}' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 51`,
  };
  const personas = { all: 'all', 'team 10%': [1, 2, 3, 4, 5].map((r) => rep(r)).join(','), 'sales 2%': rep(1) };
  const { rows: policies } = await owner.query<{ drop: string }>(
    `SELECT format('DROP POLICY %I ON %I', polname, polrelid::regclass::text) AS drop FROM pg_policy WHERE polname IN ('client_scope', 'scope_role', 'private_work')`,
  );

  const explain = async (mode: 'before' | 'after', persona: keyof typeof personas, sql: string) => {
    await owner.query('BEGIN');
    try {
      if (mode === 'before') for (const p of policies) await owner.query(p.drop);
      await owner.query('SET LOCAL ROLE crm_app');
      await owner.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', '00000000-0000-7000-8000-0000000000ff', true),
                                set_config('app.client_scope', $2, true), set_config('app.member_scope', 'all', true)`, [A, personas[persona]]);
      // As crm_enter_tenant does for a scoped member.
      if (mode === 'after' && persona !== 'all') await owner.query(`SELECT set_config('role', 'crm_app_scoped', true), set_config('jit', 'off', true)`);
      const times: number[] = [];
      let shape = '';
      for (let i = 0; i < RUNS; i++) {
        const { rows } = await owner.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql}`);
        const lines = rows.map((r) => r['QUERY PLAN']);
        times.push(Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1)!)?.[1]));
        shape = lines.filter((l) => /^\s*(->\s+)?[A-Z][a-zA-Z ]+( on | using |\s+\()/.test(l) && !/InitPlan|Result/.test(l)).map((l) => l.replace(/\s*\(.*/, '').replace(/^\s*->\s*/, '')).join(' / ');
      }
      return { ms: times.slice(1).sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)]!, shape };
    } finally {
      await owner.query('ROLLBACK');
    }
  };

  console.log(`${'read'.padEnd(32)} ${'member'.padEnd(9)} ${'before'.padStart(10)} ${'after'.padStart(10)} ${'ratio'.padStart(6)}  same plan`);
  for (const [label, sql] of Object.entries(queries)) {
    for (const persona of Object.keys(personas) as (keyof typeof personas)[]) {
      const b1 = await explain('before', persona, sql);
      const a1 = await explain('after', persona, sql);
      const b2 = await explain('before', persona, sql);
      const a2 = await explain('after', persona, sql);
      const before = (b1.ms + b2.ms) / 2;
      const after = (a1.ms + a2.ms) / 2;
      console.log(`${label.padEnd(32)} ${persona.padEnd(9)} ${before.toFixed(3).padStart(10)} ${after.toFixed(3).padStart(10)} ${(after / before).toFixed(2).padStart(6)}  ${persona === 'all' ? String(a1.shape === b1.shape) : '-'}`);
    }
  }
} finally {
  await owner.end();
  await database.drop();
}

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createDb, withTenant } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import { createPlan, createVerifiedAccount, hashPassword, issueStatementsIn, ZCreatePlanInput } from '@crm/domain';
import { fmt } from './harness.ts';

// `pnpm bench:commissions` (issue 18): issuing one month's commission statements for REPS reps
// with PER_REP contracts each (one earned line per contract: 100,000 lines by default), through
// issueStatementsIn as the API does it (balances locked, the month's tier and cap lines computed
// from each rep's plan, totals, numbers from the locked counter row, statements frozen, balances
// moved; PDFs are rendered afterwards by the daily job), against the same totals computed by one
// SQL aggregate in the same run (before and after issuing; the slower-looking, i.e. faster,
// baseline counts). Goals: issuing <= 10 s; aggregate / issuing >= 0.3.
const REPS = Number(process.env.BENCH_REPS ?? 1_000);
const PER_REP = Number(process.env.BENCH_CONTRACTS_PER_REP ?? 100);
const MONTH = '2027-01-01';

const database = await createTestDatabase('crm_bench_commissions');
const db = createDb({ url: database.appUrl, poolSize: 4 });
try {
  const { tenantId, userId } = await createVerifiedAccount(
    { db },
    { name: 'Bench', email: `bench.${randomBytes(4).toString('hex')}@example.test`, passwordHash: await hashPassword('a bench password'), organisationName: 'Bench Commissions' },
  );
  const member = await withTenant(db, tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId }, select: { id: true } }));
  const now = new Date('2027-02-02T08:00:00Z');
  const plan = await withTenant(db, tenantId, (tx) =>
    createPlan(
      { tx, now, actor: { userId, tenantId, memberId: member.id, role: 'owner' } },
      ZCreatePlanInput.parse({
        name: 'Plan bench',
        isDefault: true,
        effectiveFrom: '2026-01-01',
        rules: {
          oneShots: [{ trigger: 'signature', fixedCents: 5_000, valueRateBasisPoints: 300 }],
          recurringRateBasisPoints: 800,
          tiers: { mode: 'marginal', brackets: [{ fromCents: 0, rateBasisPoints: 0 }, { fromCents: 3_000_000, rateBasisPoints: 100 }, { fromCents: 6_000_000, rateBasisPoints: 200 }] },
          monthlyCapCents: 2_000_000,
          managerOverrideBasisPoints: 500,
        },
      }),
    ),
  );
  const version = await withTenant(db, tenantId, (tx) => tx.commissionPlanVersion.findFirstOrThrow({ where: { planId: plan.id }, select: { id: true } }));

  // Untimed set-up, in SQL: reps (one manager per ten), a client each, their contracts signed in
  // the month, the commissioned contracts and one earned line per contract.
  const setUpStarted = performance.now();
  await withTenant(db, tenantId, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO sales_reps (id, tenant_id, code, first_name, last_name, updated_at, commission_status)
      SELECT crm_uuid_v7(), ${tenantId}::uuid, 'R' || lpad(g::text, 5, '0'), 'Rep', 'N' || g, now(), CASE WHEN g % 7 = 0 THEN 'agent' ELSE 'salaried' END
      FROM generate_series(1, ${REPS}) g`;
    await tx.$executeRaw`
      UPDATE sales_reps r SET manager_id = m.id
      FROM sales_reps m
      WHERE r.tenant_id = ${tenantId}::uuid AND m.tenant_id = r.tenant_id
        AND substr(r.code, 2)::int % 10 <> 1 AND substr(m.code, 2)::int = substr(r.code, 2)::int - (substr(r.code, 2)::int - 1) % 10`;
    await tx.$executeRaw`
      INSERT INTO clients (id, tenant_id, kind, display_name, sort_name, search_text, sales_rep_id, updated_at)
      SELECT crm_uuid_v7(), r.tenant_id, 'company', 'Client ' || r.code, 'client ' || lower(r.code), 'client ' || lower(r.code), r.id, now()
      FROM sales_reps r WHERE r.tenant_id = ${tenantId}::uuid`;
    await tx.$executeRaw`INSERT INTO commission_rep_balances (tenant_id, sales_rep_id) SELECT tenant_id, id FROM sales_reps WHERE tenant_id = ${tenantId}::uuid`;
  });
  for (let from = 0; from < REPS; from += 100) {
    await withTenant(db, tenantId, async (tx) => {
      await tx.$executeRaw`
        WITH reps AS (
          SELECT r.id AS rep, c.id AS client, substr(r.code, 2)::int AS n FROM sales_reps r JOIN clients c ON c.tenant_id = r.tenant_id AND c.sales_rep_id = r.id
          WHERE r.tenant_id = ${tenantId}::uuid AND substr(r.code, 2)::int > ${from} AND substr(r.code, 2)::int <= ${from + 100}),
        made AS (
          INSERT INTO contracts (id, tenant_id, number, client_id, sales_rep_id, status, billing_frequency, start_date, duration_months, payment_method,
                                 consumer, signed_at, signed_on, updated_at)
          SELECT crm_uuid_v7(), ${tenantId}::uuid, 'CT-B-' || reps.n || '-' || k, reps.client, reps.rep, 'active', 'monthly',
                 DATE '2027-01-01' + (k % 28), 12, 'sepa_debit', false, TIMESTAMPTZ '2027-01-01 10:00Z' + (k % 28) * interval '1 day',
                 DATE '2027-01-01' + (k % 28), now()
          FROM reps, generate_series(1, ${PER_REP}) k
          RETURNING id, sales_rep_id, signed_on),
        commissioned AS (
          INSERT INTO commission_contracts (tenant_id, contract_id, sales_rep_id, plan_version_id, signed_on, consumer, value_cents, first_debit_on)
          SELECT ${tenantId}::uuid, id, sales_rep_id, ${version.id}::uuid, signed_on, false, 60000, signed_on FROM made
          RETURNING contract_id, sales_rep_id, signed_on)
        INSERT INTO commission_lines (id, tenant_id, sales_rep_id, contract_id, plan_version_id, kind, trigger, status, amount_cents, occurred_on,
                                      earned_on, statement_month, source_key, label)
        SELECT crm_uuid_v7(), ${tenantId}::uuid, sales_rep_id, contract_id, ${version.id}::uuid,
               CASE WHEN extract(day FROM signed_on)::int % 3 = 0 THEN 'recurring' ELSE 'one_shot' END,
               CASE WHEN extract(day FROM signed_on)::int % 3 = 0 THEN NULL ELSE 'signature' END,
               'earned', 6800 + extract(day FROM signed_on)::int, signed_on, signed_on, DATE '2027-01-01', 'bench:' || contract_id, 'Prime'
        FROM commissioned`;
    });
  }
  const setUpMs = performance.now() - setUpStarted;

  const aggregate = async () => {
    const started = performance.now();
    const rows = await withTenant(db, tenantId, (tx) =>
      tx.$queryRaw<{ sales_rep_id: string; total: bigint; n: bigint }[]>`
        SELECT sales_rep_id, sum(amount_cents) AS total, count(*) AS n FROM commission_lines
        WHERE tenant_id = ${tenantId}::uuid AND status = 'earned' AND statement_month = ${MONTH}::date
        GROUP BY sales_rep_id`,
    );
    return { ms: performance.now() - started, rows };
  };
  const before = await aggregate();
  const started = performance.now();
  const issued = await withTenant(db, tenantId, (tx) =>
    issueStatementsIn({ tx, tenantId, now, today: '2027-02-02', issuedBy: userId, actorUserId: userId }, MONTH),
  );
  const issueMs = performance.now() - started;
  const after = await aggregate();

  // The same totals: every statement's movements are its rep's lines of the month (tier and cap included).
  const statements = await withTenant(db, tenantId, (tx) =>
    tx.commissionStatement.findMany({ where: { tenantId, month: new Date(`${MONTH}T00:00:00Z`) }, select: { salesRepId: true, linesCents: true, clawbacksCents: true, adjustmentsCents: true, lineCount: true } }),
  );
  const expected = new Map(after.rows.map((r) => [r.sales_rep_id, r]));
  const lines = after.rows.reduce((sum, r) => sum + Number(r.n), 0);
  for (const s of statements) {
    const e = expected.get(s.salesRepId);
    if (!e || Number(e.total) !== s.linesCents + s.clawbacksCents + s.adjustmentsCents || Number(e.n) !== s.lineCount) throw new Error(`statement of ${s.salesRepId} differs from the aggregate`);
  }
  if (statements.length !== REPS || issued.statementIds.length !== REPS) throw new Error(`${statements.length} statements, ${REPS} expected`);

  const baselineMs = Math.min(before.ms, after.ms);
  console.log(`commission statements: ${fmt(REPS)} reps, ${fmt(lines)} lines (set-up ${(setUpMs / 1000).toFixed(1)} s), load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`  issuing the month:  ${(issueMs / 1000).toFixed(2)} s (goal <= 10 s)`);
  console.log(`  one SQL aggregate:  ${before.ms.toFixed(0)} ms before, ${after.ms.toFixed(0)} ms after issuing`);
  console.log(`  ratio aggregate / issuing: ${(baselineMs / issueMs).toFixed(2)} (goal >= 0.3)`);
} finally {
  await db.$disconnect();
  await database.drop();
}

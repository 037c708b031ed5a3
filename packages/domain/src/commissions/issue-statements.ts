import { newId, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import { parisDay } from '../shared/paris-day.ts';
import type { TIssueStatementsInput } from './commissions.schema.ts';
import { storeStatementDocuments } from './store-statement-documents.ts';
import { reserveCounter } from '../shared/counters.ts';
import { badRequest } from '../shared/errors.ts';
import { asDay, dayDate, lockIssuance, parseRules } from './commission-lines.ts';
import { capDeduction, monthEnd, share, tierAmount, type PlanRules } from './commission-rules.ts';

export interface StatementIssueContext {
  tx: Tx;
  tenantId: string;
  now: Date;
  today: string;
  /** Who issues: a member's user id, or `system:<job>`. */
  issuedBy: string;
  actorUserId: string | null;
}

interface OpenRep {
  salesRepId: string;
  code: string;
  team: string | null;
  managerId: string | null;
  commissionStatus: string;
  lastIssuedMonth: string | null;
  carriedCents: number;
}

/**
 * Issues the statements of `month` (its first day) for every rep with something on it: the lines
 * earned on that month or an earlier one still open, a balance carried in, the month's tier and
 * cap lines (computed now, from the plan in force at the month's end). Set-based: one aggregate
 * for the totals, one insert for the statements, numbered in the order of the reps' codes from the
 * tenant's counter (`RC-<year>-00001`; self-billing invoices of agents their own series `AF-`).
 * The reps' balance rows are locked first, so a line being earned meanwhile waits and then lands
 * on the next month. Documents (PDF) are rendered afterwards from what the statement froze
 * (`storeStatementDocuments`). Returns the statements made.
 */
export async function issueStatementsIn(ctx: StatementIssueContext, month: string): Promise<{ month: string; statementIds: string[] }> {
  const { tx, tenantId } = ctx;
  if (!/^\d{4}-\d{2}-01$/.test(month)) throw badRequest('Mois invalide', { month: ['Le premier jour du mois (AAAA-MM-01)'] });
  const end = monthEnd(month);
  if (end >= ctx.today) throw badRequest('Le mois n’est pas terminé', { month: ['Un relevé s’émet une fois le mois terminé'] });

  // Every rep with a line has a balance row (a foreign key of the lines). One exclusive lock per
  // organisation against the lines being earned meanwhile (they take it shared): they wait, then
  // land on the next month; cheaper than locking each rep's row.
  await lockIssuance(tx, tenantId, 'exclusive');
  const reps = (
    await tx.$queryRaw<{ sales_rep_id: string; code: string; team: string | null; manager_id: string | null; commission_status: string; last_issued_month: Date | null; carried_cents: number }[]>`
      SELECT b.sales_rep_id, r.code, r.team, r.manager_id, r.commission_status, b.last_issued_month, b.carried_cents
      FROM commission_rep_balances b JOIN sales_reps r ON r.tenant_id = b.tenant_id AND r.id = b.sales_rep_id
      WHERE b.tenant_id = ${tenantId}::uuid`
  )
    .map(
      (r): OpenRep => ({
        salesRepId: r.sales_rep_id,
        code: r.code,
        team: r.team,
        managerId: r.manager_id,
        commissionStatus: r.commission_status,
        lastIssuedMonth: r.last_issued_month ? asDay(r.last_issued_month) : null,
        carriedCents: r.carried_cents,
      }),
    )
    .filter((r) => r.lastIssuedMonth === null || r.lastIssuedMonth < month);
  if (reps.length === 0) return { month, statementIds: [] };

  const plans = await plansAt(tx, tenantId, end);
  const rulesOf = (rep: OpenRep) => plans.forRep(rep.salesRepId, rep.team);
  const openById = new Map(reps.map((r) => [r.salesRepId, r]));

  // The totals, one aggregate over the open months of every rep; the month's tier, override and
  // cap lines are added to them in memory as they are made (one pass over the lines, not three).
  const sums = await tx.$queryRaw<{ sales_rep_id: string; eligible: bigint; lines: bigint; clawbacks: bigint; adjustments: bigint; n: bigint }[]>`
    SELECT l.sales_rep_id,
           coalesce(sum(l.amount_cents) FILTER (WHERE l.kind IN ('one_shot', 'recurring', 'tier', 'override')), 0) AS eligible,
           coalesce(sum(l.amount_cents) FILTER (WHERE l.kind NOT IN ('clawback', 'adjustment')), 0) AS lines,
           coalesce(sum(l.amount_cents) FILTER (WHERE l.kind = 'clawback'), 0) AS clawbacks,
           coalesce(sum(l.amount_cents) FILTER (WHERE l.kind = 'adjustment'), 0) AS adjustments,
           count(*) AS n
    FROM commission_lines l JOIN commission_rep_balances b ON b.tenant_id = l.tenant_id AND b.sales_rep_id = l.sales_rep_id
    WHERE l.tenant_id = ${tenantId}::uuid AND l.status = 'earned' AND l.statement_month <= ${month}::date
      AND (b.last_issued_month IS NULL OR l.statement_month > b.last_issued_month)
    GROUP BY l.sales_rep_id`;
  const totals = new Map<string, RepTotals>();
  const totalsOf = (rep: string) => {
    let t = totals.get(rep);
    if (!t) totals.set(rep, (t = { eligible: 0, lines: 0, clawbacks: 0, adjustments: 0, n: 0 }));
    return t;
  };
  for (const s of sums) Object.assign(totalsOf(s.sales_rep_id), { eligible: Number(s.eligible), lines: Number(s.lines), clawbacks: Number(s.clawbacks), adjustments: Number(s.adjustments), n: Number(s.n) });
  await monthlyLines(ctx, month, reps, rulesOf, openById, totalsOf);

  const issuing = reps
    .filter((r) => (totals.get(r.salesRepId)?.n ?? 0) > 0 || r.carriedCents < 0)
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (issuing.length === 0) return { month, statementIds: [] };

  const year = month.slice(0, 4);
  const first = await reserveCounter(tx, tenantId, `commission_statements:${year}`, issuing.length);
  const agents = issuing.filter((r) => r.commissionStatus === 'agent').length;
  let selfBilling = agents > 0 ? await reserveCounter(tx, tenantId, `commission_self_billing:${year}`, agents) : 0;
  const rows = issuing.map((rep, i) => {
    const s = totals.get(rep.salesRepId);
    const lines = s?.lines ?? 0;
    const clawbacks = s?.clawbacks ?? 0;
    const adjustments = s?.adjustments ?? 0;
    const total = rep.carriedCents + lines + clawbacks + adjustments;
    return {
      id: newId(ctx.now.getTime()),
      rep,
      number: `RC-${year}-${String(first + i).padStart(5, '0')}`,
      selfBillingNumber: rep.commissionStatus === 'agent' ? `AF-${year}-${String(selfBilling++).padStart(5, '0')}` : null,
      opening: rep.carriedCents,
      lines,
      clawbacks,
      adjustments,
      total,
      net: Math.max(0, total),
      carried: Math.min(0, total),
      count: s?.n ?? 0,
    };
  });
  await tx.$executeRaw`
    INSERT INTO commission_statements (id, tenant_id, sales_rep_id, month, number, commission_status, opening_balance_cents, lines_cents,
      clawbacks_cents, adjustments_cents, total_cents, net_payable_cents, carried_forward_cents, line_count, self_billing_number, issued_at, issued_by)
    SELECT v.id, ${tenantId}::uuid, v.rep, ${month}::date, v.number, v.status, v.opening, v.lines, v.clawbacks, v.adjustments, v.total, v.net,
      v.carried, v.n, v.sb, ${ctx.now}, ${ctx.issuedBy}
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.rep.salesRepId)}::uuid[], ${rows.map((r) => r.number)}::text[],
                ${rows.map((r) => r.rep.commissionStatus)}::text[], ${rows.map((r) => r.opening)}::int[], ${rows.map((r) => r.lines)}::int[],
                ${rows.map((r) => r.clawbacks)}::int[], ${rows.map((r) => r.adjustments)}::int[], ${rows.map((r) => r.total)}::int[],
                ${rows.map((r) => r.net)}::int[], ${rows.map((r) => r.carried)}::int[], ${rows.map((r) => r.count)}::int[],
                ${rows.map((r) => r.selfBillingNumber)}::text[])
      AS v(id, rep, number, status, opening, lines, clawbacks, adjustments, total, net, carried, n, sb)`;
  await tx.$executeRaw`
    UPDATE commission_rep_balances b SET last_issued_month = ${month}::date, carried_cents = v.carried
    FROM unnest(${rows.map((r) => r.rep.salesRepId)}::uuid[], ${rows.map((r) => r.carried)}::int[]) AS v(rep, carried)
    WHERE b.tenant_id = ${tenantId}::uuid AND b.sales_rep_id = v.rep`;
  await recordAudit(tx, {
    tenantId,
    actorUserId: ctx.actorUserId,
    action: 'commission.statements_issued',
    entityType: 'commission_statement',
    data: { month, count: rows.length, first: rows[0]!.number, last: rows[rows.length - 1]!.number, netPayableCents: rows.reduce((s, r) => s + r.net, 0) },
  });
  return { month, statementIds: rows.map((r) => r.id) };
}

interface RepTotals {
  /** What the cap applies to: one-shots, recurring, tiers, overrides. */
  eligible: number;
  lines: number;
  clawbacks: number;
  adjustments: number;
  n: number;
}

type MonthLine = { id: string; rep: string; kind: 'tier' | 'cap' | 'override'; amount: number; base: number | null; rate: number | null; version: string; key: string; label: string; related: string | null };

/**
 * The month's tier lines (on the volume signed that month, contracts still running at its end),
 * the manager's override on them, then the cap lines, written once per rep and month (source
 * keys) and added to the totals.
 */
async function monthlyLines(
  ctx: StatementIssueContext,
  month: string,
  reps: OpenRep[],
  rulesOf: (rep: OpenRep) => { versionId: string; rules: PlanRules } | null,
  openById: Map<string, OpenRep>,
  totalsOf: (rep: string) => RepTotals,
) {
  const { tx, tenantId } = ctx;
  const end = monthEnd(month);
  const lines: MonthLine[] = [];
  const add = (line: MonthLine) => {
    lines.push(line);
    const t = totalsOf(line.rep);
    if (line.kind !== 'cap') t.eligible += line.amount;
    t.lines += line.amount;
    t.n += 1;
  };
  const withTiers = reps.filter((r) => rulesOf(r)?.rules.tiers);
  if (withTiers.length > 0) {
    const volumes = await tx.$queryRaw<{ sales_rep_id: string; volume: bigint }[]>`
      SELECT sales_rep_id, sum(value_cents) AS volume FROM commission_contracts
      WHERE tenant_id = ${tenantId}::uuid AND signed_on BETWEEN ${month}::date AND ${end}::date AND (ended_on IS NULL OR ended_on > ${end}::date)
        AND sales_rep_id = ANY (${withTiers.map((r) => r.salesRepId)}::uuid[])
      GROUP BY sales_rep_id`;
    for (const v of volumes) {
      const rep = openById.get(v.sales_rep_id)!;
      const plan = rulesOf(rep)!;
      const amount = tierAmount(plan.rules.tiers!, Number(v.volume));
      if (amount <= 0) continue;
      const id = newId(ctx.now.getTime());
      add({ id, rep: rep.salesRepId, kind: 'tier', amount, base: Number(v.volume), rate: null, version: plan.versionId, key: `tier:${rep.salesRepId}:${month}`, label: `Paliers sur le volume du mois (${plan.rules.tiers!.mode === 'marginal' ? 'marginaux' : 'rétroactifs'})`, related: null });
      // The manager's override on it, when the manager's statement of this month is being issued too.
      const manager = rep.managerId ? openById.get(rep.managerId) : undefined;
      const override = share(amount, plan.rules.managerOverrideBasisPoints);
      if (manager && override > 0) {
        add({ id: newId(ctx.now.getTime()), rep: manager.salesRepId, kind: 'override', amount: override, base: amount, rate: plan.rules.managerOverrideBasisPoints, version: plan.versionId, key: `override:${id}`, label: 'Commission d’encadrement : paliers', related: id });
      }
    }
  }
  for (const rep of reps) {
    const plan = rulesOf(rep);
    if (plan?.rules.monthlyCapCents == null) continue;
    const eligible = totalsOf(rep.salesRepId).eligible;
    const amount = capDeduction(plan.rules.monthlyCapCents, eligible);
    if (amount < 0) add({ id: newId(ctx.now.getTime()), rep: rep.salesRepId, kind: 'cap', amount, base: eligible, rate: null, version: plan.versionId, key: `cap:${rep.salesRepId}:${month}`, label: 'Plafond mensuel', related: null });
  }
  await insertMonthLines(ctx, month, lines);
}

async function insertMonthLines(ctx: StatementIssueContext, month: string, lines: { id: string; rep: string; kind: string; amount: number; base: number | null; rate: number | null; version: string; key: string; label: string; related: string | null }[]) {
  if (lines.length === 0) return;
  const end = monthEnd(month);
  await ctx.tx.$executeRaw`
    INSERT INTO commission_lines (id, tenant_id, sales_rep_id, plan_version_id, kind, status, amount_cents, base_cents, rate_basis_points,
      occurred_on, earned_on, statement_month, related_line_id, source_key, label)
    SELECT v.id, ${ctx.tenantId}::uuid, v.rep, v.version, v.kind, 'earned', v.amount, v.base, v.rate, ${end}::date, ${end}::date, ${month}::date,
      v.related, v.key, v.label
    FROM unnest(${lines.map((l) => l.id)}::uuid[], ${lines.map((l) => l.rep)}::uuid[], ${lines.map((l) => l.version)}::uuid[], ${lines.map((l) => l.kind)}::text[],
                ${lines.map((l) => l.amount)}::int[], ${lines.map((l) => l.base)}::int[], ${lines.map((l) => l.rate)}::int[],
                ${lines.map((l) => l.related)}::uuid[], ${lines.map((l) => l.key)}::text[], ${lines.map((l) => l.label)}::text[])
      AS v(id, rep, version, kind, amount, base, rate, related, key, label)
    ON CONFLICT (tenant_id, source_key) DO NOTHING`;
}

/** Every plan's version in force on `day`, and who is on which plan, read once for all reps. */
export async function plansAt(tx: Tx, tenantId: string, day: string) {
  const [plans, assignments, versions] = await Promise.all([
    tx.commissionPlan.findMany({ where: { tenantId }, select: { id: true, isDefault: true } }),
    tx.commissionPlanAssignment.findMany({ where: { tenantId }, select: { planId: true, salesRepId: true, team: true } }),
    tx.commissionPlanVersion.findMany({ where: { tenantId, effectiveFrom: { lte: dayDate(day) } }, orderBy: { effectiveFrom: 'asc' }, select: { id: true, planId: true, rules: true } }),
  ]);
  const inForce = new Map<string, { versionId: string; rules: PlanRules }>();
  for (const v of versions) inForce.set(v.planId, { versionId: v.id, rules: parseRules(v.rules) });
  const byRep = new Map(assignments.filter((a) => a.salesRepId).map((a) => [a.salesRepId!, a.planId]));
  const byTeam = new Map(assignments.filter((a) => a.team).map((a) => [a.team!, a.planId]));
  const defaultPlan = plans.find((p) => p.isDefault)?.id;
  return {
    forRep(salesRepId: string, team: string | null) {
      const planId = byRep.get(salesRepId) ?? (team ? byTeam.get(team) : undefined) ?? defaultPlan;
      return planId ? (inForce.get(planId) ?? null) : null;
    },
  };
}

/** Statements stored with their PDFs in the issuing transaction when there are at most this many. */
const DOCUMENTS_AT_ISSUE = 25;

/**
 * The month's statements issued by a member (commissions.write); their PDFs stored at once for a
 * small organisation, by the daily job otherwise.
 */
export async function issueStatements(deps: DocumentDeps, input: TIssueStatementsInput) {
  const { tx, actor, now } = deps;
  const result = await issueStatementsIn({ tx, tenantId: actor.tenantId, now, today: parisDay(now), issuedBy: actor.userId, actorUserId: actor.userId }, input.month);
  let documents = 0;
  if (result.statementIds.length > 0 && result.statementIds.length <= DOCUMENTS_AT_ISSUE) {
    documents = await storeStatementDocuments({ tx, tenantId: actor.tenantId, now, storage: deps.documents.storage, createdBy: actor.userId }, { statementIds: result.statementIds });
  }
  return { month: result.month, issued: result.statementIds.length, documents };
}

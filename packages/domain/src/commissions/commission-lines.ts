import { newId, Prisma, type Tx } from '@crm/db';
import { ZPlanRules, type PlanRules } from './commission-rules.ts';

/**
 * Writing commission lines, shared by the event handlers, the daily job, issuance and manual
 * adjustments. A line is written once per `sourceKey` (the event, or the rule applied to it), so a
 * replayed event writes nothing twice. An earned line is given its statement's month in the same
 * statement: the month it was earned in, or the rep's first month not yet issued (`lockIssuance`
 * keeps the two from crossing; the trigger crm_commission_frozen refuses a line joining an issued
 * month whatever the path).
 */

export const asDay = (date: Date): string => date.toISOString().slice(0, 10);
export const dayDate = (day: string): Date => new Date(`${day}T00:00:00Z`);

export interface NewLine {
  salesRepId: string;
  contractId: string | null;
  planVersionId: string | null;
  kind: 'one_shot' | 'recurring' | 'tier' | 'cap' | 'override' | 'clawback' | 'adjustment';
  trigger?: string | null;
  /** provisional (with earnAfter / awaitsFirstDebit), earned (on earnedOn) or void. */
  status: 'provisional' | 'earned';
  amountCents: number;
  baseCents?: number | null;
  rateBasisPoints?: number | null;
  earnAfter?: string | null;
  awaitsFirstDebit?: boolean;
  occurredOn: string;
  earnedOn?: string | null;
  relatedLineId?: string | null;
  paymentId?: string | null;
  sourceKey: string;
  sourceEventId?: string | null;
  label: string;
  reason?: string | null;
  createdBy?: string | null;
}

/**
 * Statement issuance and line earning exclude each other per organisation: issuance holds this
 * transaction-level advisory lock exclusively, earning shared (earners do not wait for each other).
 * A line earned while a month is being issued waits, then reads the month as issued and lands on
 * the next one.
 */
export async function lockIssuance(tx: Tx, tenantId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'exclusive') await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended('commission_issuance:' || ${tenantId}, 0))::text`;
  else await tx.$queryRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended('commission_issuance:' || ${tenantId}, 0))::text`;
}

/** The rep's balance row exists (issuance moves it; lines need it), and issuance is held off until commit. */
export async function holdRepBalance(tx: Tx, tenantId: string, salesRepId: string): Promise<void> {
  await lockIssuance(tx, tenantId, 'shared');
  await tx.$executeRaw`
    INSERT INTO commission_rep_balances (tenant_id, sales_rep_id) VALUES (${tenantId}::uuid, ${salesRepId}::uuid)
    ON CONFLICT DO NOTHING`;
}

/** SQL for the statement month of a line earned on `earned_on` (column expression of the row `l`). */
export const STATEMENT_MONTH_SQL = Prisma.sql`GREATEST(date_trunc('month', l.earned_on)::date,
  coalesce((SELECT (b.last_issued_month + interval '1 month')::date FROM commission_rep_balances b
            WHERE b.tenant_id = l.tenant_id AND b.sales_rep_id = l.sales_rep_id), DATE '0001-01-01'))`;

/**
 * Inserts a line unless its source key was already used; returns its id, or null when it existed.
 * An earned line gets its statement month. A line of a rep with a manager gets the manager's
 * override line beside it when the plan pays one (same conditions, same contract).
 */
export async function insertLine(tx: Tx, tenantId: string, line: NewLine, rules?: PlanRules | null): Promise<string | null> {
  await holdRepBalance(tx, tenantId, line.salesRepId);
  const id = newId();
  const earnedOn = line.status === 'earned' ? (line.earnedOn ?? line.occurredOn) : null;
  const inserted = await tx.$executeRaw`
    INSERT INTO commission_lines (id, tenant_id, sales_rep_id, contract_id, plan_version_id, kind, trigger, status, amount_cents,
      base_cents, rate_basis_points, earn_after, awaits_first_debit, occurred_on, earned_on, statement_month, related_line_id,
      payment_id, source_key, source_event_id, label, reason, created_by)
    SELECT ${id}::uuid, ${tenantId}::uuid, ${line.salesRepId}::uuid, ${line.contractId}::uuid, ${line.planVersionId}::uuid, ${line.kind},
      ${line.trigger ?? null}, ${line.status}, ${line.amountCents}, ${line.baseCents ?? null}::int, ${line.rateBasisPoints ?? null}::int,
      ${line.earnAfter ?? null}::date, ${line.awaitsFirstDebit ?? false}, ${line.occurredOn}::date, ${earnedOn}::date,
      CASE WHEN ${earnedOn}::date IS NULL THEN NULL ELSE GREATEST(date_trunc('month', ${earnedOn}::date)::date,
        coalesce((SELECT (b.last_issued_month + interval '1 month')::date FROM commission_rep_balances b
                  WHERE b.tenant_id = ${tenantId}::uuid AND b.sales_rep_id = ${line.salesRepId}::uuid), DATE '0001-01-01')) END,
      ${line.relatedLineId ?? null}::uuid, ${line.paymentId ?? null}::uuid, ${line.sourceKey}, ${line.sourceEventId ?? null}::uuid,
      ${line.label}, ${line.reason ?? null}, ${line.createdBy ?? null}::uuid
    ON CONFLICT (tenant_id, source_key) DO NOTHING`;
  if (inserted === 0) return null;
  if (rules && rules.managerOverrideBasisPoints > 0 && ['one_shot', 'recurring', 'tier'].includes(line.kind) && line.amountCents > 0) {
    const rep = await tx.salesRep.findUnique({ where: { tenantId_id: { tenantId, id: line.salesRepId } }, select: { managerId: true } });
    const amount = Math.floor((line.amountCents * rules.managerOverrideBasisPoints + 5_000) / 10_000);
    if (rep?.managerId && amount > 0) {
      await insertLine(tx, tenantId, {
        ...line,
        salesRepId: rep.managerId,
        kind: 'override',
        amountCents: amount,
        baseCents: line.amountCents,
        rateBasisPoints: rules.managerOverrideBasisPoints,
        relatedLineId: id,
        sourceKey: `override:${id}`,
        label: `Commission d’encadrement : ${line.label}`,
      });
    }
  }
  return id;
}

/**
 * Earns the provisional lines `where` selects (an SQL condition on `l`) whose conditions hold on
 * `today`: earned on their `earn_after` day, on that day's statement month or the first open one.
 */
export async function earnDueLines(tx: Tx, tenantId: string, today: string, where: Prisma.Sql = Prisma.sql`true`): Promise<number> {
  await lockIssuance(tx, tenantId, 'shared');
  return tx.$executeRaw`
    UPDATE commission_lines l SET status = 'earned', earned_on = l.earn_after,
      statement_month = GREATEST(date_trunc('month', l.earn_after)::date,
        coalesce((SELECT (b.last_issued_month + interval '1 month')::date FROM commission_rep_balances b
                  WHERE b.tenant_id = l.tenant_id AND b.sales_rep_id = l.sales_rep_id), DATE '0001-01-01'))
    WHERE l.tenant_id = ${tenantId}::uuid AND l.status = 'provisional' AND NOT l.awaits_first_debit
      AND l.earn_after <= ${today}::date AND ${where}`;
}

/** A plan version's rules, parsed (they were checked when written; defaults filled). */
export const parseRules = (rules: unknown): PlanRules => ZPlanRules.parse(rules);

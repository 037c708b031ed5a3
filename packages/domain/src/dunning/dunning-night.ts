import { newId, type Tx } from '@crm/db';
import { formatEur } from '../shared/money.ts';
import { dateOf, isoDay } from './dunning-cases.ts';
import type { PlanWithSteps } from './dunning-plans.ts';
import { addDays, CHANNEL_LABELS, decideCase, type Channel, type Decision } from './dunning-rules.ts';
import { renderTemplate, type TemplateValues } from './dunning-templates.ts';

/**
 * The nightly run's reading and writing, apart from its decision (dunning-rules.ts): open cases
 * whose step is due are read in batches by id, decided in memory, and each batch written in a few
 * set-based statements (steps recorded, cases moved on, mails queued as outgoing effects, tasks
 * opened). Letters and contract actions are recorded `pending` for the actions job (they render a
 * PDF or change a contract, one at a time). The bench's baseline reads the same rows and runs the
 * same decisions, without writing.
 */

export interface DueCaseRow {
  id: string;
  client_id: string;
  plan_id: string;
  purpose: 'recovery' | 'commercial';
  audience: string;
  level: number;
  cycle: number;
  cycle_started_on: Date;
  last_step_on: Date | null;
  display_name: string;
  email: string | null;
  rep_user_id: string | null;
  amount_cents: number;
  paid_cents: number;
  items: number;
  first_due: Date | null;
  has_contract: boolean;
}

export async function loadDueCases(tx: Tx, tenantId: string, today: string, afterId: string, limit: number): Promise<DueCaseRow[]> {
  return tx.$queryRaw<DueCaseRow[]>`
    SELECT d.id, d.client_id, d.plan_id, d.purpose, d.audience, d.level, d.cycle, d.cycle_started_on, d.last_step_on,
           c.display_name, c.email, r.user_id AS rep_user_id,
           COALESCE(it.amount_cents, 0)::int AS amount_cents, COALESCE(it.paid_cents, 0)::int AS paid_cents,
           COALESCE(it.items, 0)::int AS items, it.first_due,
           (d.purpose = 'commercial' AND EXISTS (SELECT 1 FROM contracts k WHERE k.tenant_id = d.tenant_id AND k.client_id = d.client_id
              AND k.status IN ('signed', 'active', 'suspended', 'terminated'))) AS has_contract
    FROM dunning_cases d
    JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
    LEFT JOIN sales_reps r ON r.tenant_id = c.tenant_id AND r.id = c.sales_rep_id
    LEFT JOIN LATERAL (
      SELECT sum(i.amount_cents) AS amount_cents, sum(i.paid_cents) AS paid_cents, count(*) AS items, min(i.due_date) AS first_due
      FROM dunning_case_items i WHERE i.tenant_id = d.tenant_id AND i.case_id = d.id) it ON true
    WHERE d.tenant_id = ${tenantId}::uuid AND d.status = 'open' AND d.next_step_on <= ${today}::date AND d.id > ${afterId}::uuid
    ORDER BY d.id
    LIMIT ${limit}`;
}

export const decideRow = (row: DueCaseRow, plans: ReadonlyMap<string, PlanWithSteps>, today: string): Decision => {
  const plan = plans.get(row.plan_id);
  if (!plan?.active) return { kind: 'wait', nextStepOn: null };
  return decideCase(
    {
      status: 'open',
      purpose: row.purpose,
      level: row.level,
      cycleStartedOn: isoDay(row.cycle_started_on)!,
      lastStepOn: isoDay(row.last_step_on),
      outstandingCents: row.amount_cents - row.paid_cents,
      hasContract: row.has_contract,
    },
    plan.steps,
    today,
  );
};

export interface NightContext {
  tx: Tx;
  tenantId: string;
  today: string;
  now: Date;
  organisation: { name: string; contact: string };
  /** Who gets a task when the client has no rep with an account: the organisation's first owner. */
  fallbackOwnerUserId: string;
  createdBy: string;
}

export interface NightCounts {
  cases: number;
  steps: number;
  mails: number;
  tasks: number;
  pending: number;
  closed: number;
}

const LETTER_LIKE: readonly Channel[] = ['letter', 'registered_letter', 'suspend_contract', 'terminate_contract'];

/** Writes one batch's decisions: a handful of statements whatever the batch's size. */
export async function writeNightBatch(ctx: NightContext, rows: readonly DueCaseRow[], decisions: readonly Decision[], plans: ReadonlyMap<string, PlanWithSteps>, counts: NightCounts): Promise<void> {
  const { tx, tenantId, today, now } = ctx;
  const upd = { id: [] as string[], level: [] as number[], last: [] as (string | null)[], next: [] as (string | null)[], status: [] as string[], closed: [] as (string | null)[] };
  const steps = { id: [] as string[], caseId: [] as string[], kind: [] as string[], cycle: [] as (number | null)[], position: [] as (number | null)[], channel: [] as (string | null)[], state: [] as (string | null)[], title: [] as string[], effectKey: [] as (string | null)[], activityId: [] as (string | null)[] };
  const mails = { recipient: [] as string[], subject: [] as string[], body: [] as string[], key: [] as string[], clientId: [] as string[] };
  const tasks = { id: [] as string[], owner: [] as string[], clientId: [] as string[], subject: [] as string[], body: [] as string[] };
  const moveCase = (id: string, level: number, last: string | null, next: string | null, status: string, closed: string | null) => {
    upd.id.push(id);
    upd.level.push(level);
    upd.last.push(last);
    upd.next.push(next);
    upd.status.push(status);
    upd.closed.push(closed);
  };
  const addEntry = (caseId: string, kind: string, step: { cycle: number; position: number; channel: string; state: string } | null, title: string, effectKey: string | null, activityId: string | null) => {
    steps.id.push(newId());
    steps.caseId.push(caseId);
    steps.kind.push(kind);
    steps.cycle.push(step?.cycle ?? null);
    steps.position.push(step?.position ?? null);
    steps.channel.push(step?.channel ?? null);
    steps.state.push(step?.state ?? null);
    steps.title.push(title);
    steps.effectKey.push(effectKey);
    steps.activityId.push(activityId);
  };
  const deadline = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(dateOf(addDays(today, 8)));

  rows.forEach((row, i) => {
    const decision = decisions[i]!;
    if (decision.kind === 'idle') return;
    if (decision.kind === 'close') {
      moveCase(row.id, row.level, isoDay(row.last_step_on), null, decision.status, today);
      addEntry(row.id, 'closed', null, decision.status === 'closed_done' ? 'Suivi terminé' : 'Dossier clos : dette réglée', null, null);
      counts.closed++;
      return;
    }
    if (decision.kind === 'wait') {
      moveCase(row.id, row.level, isoDay(row.last_step_on), decision.nextStepOn, 'open', null);
      return;
    }
    const step = plans.get(row.plan_id)!.steps[decision.level - 1]!;
    const outstanding = row.amount_cents - row.paid_cents;
    const values: TemplateValues = {
      client: row.display_name,
      organisation: ctx.organisation.name,
      montant: formatEur(outstanding),
      echeances: row.items > 1 ? `${row.items} échéances depuis le ${isoDay(row.first_due)}` : `échéance du ${isoDay(row.first_due) ?? today}`,
      date_limite: deadline,
      contact: ctx.organisation.contact,
    };
    const key = `dunning:${row.id}:${row.cycle}:${step.position}`;
    let state = 'done';
    let title = `${CHANNEL_LABELS[step.channel]} : ${step.subject}`;
    let activityId: string | null = null;
    let effectKey: string | null = null;
    if (step.channel === 'email') {
      if (row.email) {
        mails.recipient.push(row.email);
        mails.subject.push(step.subject);
        mails.body.push(renderTemplate(step.template, values));
        mails.key.push(key);
        mails.clientId.push(row.client_id);
        effectKey = key;
        counts.mails++;
      } else {
        state = 'skipped';
        title = `${title} (pas d’adresse e-mail)`;
      }
    } else if (step.channel === 'task') {
      if (step.condition === 'no_contract' && row.has_contract) state = 'skipped';
      else {
        activityId = newId();
        tasks.id.push(activityId);
        tasks.owner.push(row.rep_user_id ?? ctx.fallbackOwnerUserId);
        tasks.clientId.push(row.client_id);
        tasks.subject.push(step.subject);
        tasks.body.push(renderTemplate(step.template, values));
        counts.tasks++;
      }
    } else if (LETTER_LIKE.includes(step.channel)) {
      state = 'pending';
      counts.pending++;
    }
    addEntry(row.id, 'step', { cycle: row.cycle, position: step.position, channel: step.channel, state }, title, effectKey, activityId);
    moveCase(row.id, decision.level, today, decision.nextStepOn, 'open', null);
    counts.steps++;
  });

  if (tasks.id.length > 0) {
    await tx.$executeRaw`
      INSERT INTO activities (id, tenant_id, kind, subject, body, client_id, owner_user_id, due_date, occurred_at, created_at, updated_at)
      SELECT t.id, ${tenantId}::uuid, 'task', t.subject, t.body, t.client_id, t.owner, ${today}::date, ${now}, ${now}, ${now}
      FROM unnest(${tasks.id}::uuid[], ${tasks.owner}::uuid[], ${tasks.clientId}::uuid[], ${tasks.subject}::text[], ${tasks.body}::text[]) AS t(id, owner, client_id, subject, body)`;
  }
  if (mails.key.length > 0) {
    await tx.$executeRaw`
      INSERT INTO outgoing_effects (id, tenant_id, kind, recipient, template, subject, text_body, idempotency_key, created_by, client_id, next_attempt_at, created_at, updated_at)
      SELECT crm_uuid_v7(), ${tenantId}::uuid, 'email', m.recipient, 'dunning-reminder', m.subject, m.body, m.key, ${ctx.createdBy}, m.client_id, ${now}, ${now}, ${now}
      FROM unnest(${mails.recipient}::text[], ${mails.subject}::text[], ${mails.body}::text[], ${mails.key}::text[], ${mails.clientId}::uuid[]) AS m(recipient, subject, body, key, client_id)
      ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`;
  }
  if (steps.id.length > 0) {
    await tx.$executeRaw`
      INSERT INTO dunning_case_entries (id, tenant_id, case_id, kind, on_date, at, cycle, position, channel, state, title, effect_key, activity_id, created_by)
      SELECT s.id, ${tenantId}::uuid, s.case_id, s.kind, ${today}::date, ${now}, s.cycle, s.position, s.channel, s.state, s.title, s.effect_key, s.activity_id, ${ctx.createdBy}
      FROM unnest(${steps.id}::uuid[], ${steps.caseId}::uuid[], ${steps.kind}::text[], ${steps.cycle}::int[], ${steps.position}::int[], ${steps.channel}::text[],
                  ${steps.state}::text[], ${steps.title}::text[], ${steps.effectKey}::text[], ${steps.activityId}::uuid[])
        AS s(id, case_id, kind, cycle, position, channel, state, title, effect_key, activity_id)
      ON CONFLICT (tenant_id, case_id, cycle, position) WHERE kind = 'step' DO NOTHING`;
  }
  if (upd.id.length > 0) {
    await tx.$executeRaw`
      UPDATE dunning_cases d SET level = u.level, last_step_on = u.last, next_step_on = u.next, status = u.status, closed_on = u.closed, updated_at = ${now}
      FROM unnest(${upd.id}::uuid[], ${upd.level}::int[], ${upd.last}::date[], ${upd.next}::date[], ${upd.status}::text[], ${upd.closed}::date[]) AS u(id, level, last, next, status, closed)
      WHERE d.tenant_id = ${tenantId}::uuid AND d.id = u.id`;
  }
  counts.cases += rows.length;
}

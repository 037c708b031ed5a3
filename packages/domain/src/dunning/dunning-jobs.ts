import type { Tx } from '@crm/db';
import { z } from 'zod';
import { NO_DOCUMENT_STORAGE } from '../events/handler-deps.ts';
import { defineJobKind } from '../jobs/job-kind.ts';
import { scheduleJob } from '../jobs/schedule-job.ts';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { DomainError } from '../shared/errors.ts';
import { sendCaseLetter } from './case-letter.ts';
import { applyNonPaymentStep } from './contract-for-non-payment.ts';
import { claimDebts, dateOf, isoDay, type CaseClock } from './dunning-cases.ts';
import { decideRow, loadDueCases, writeNightBatch, type NightCounts } from './dunning-night.ts';
import { loadDunningPlans, type PlanWithSteps } from './dunning-plans.ts';
import type { Audience } from './dunning-rules.ts';

const NIGHT = 'system:dunning.nightly';
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
export const NIGHT_BATCH = 5_000;

/**
 * Invoices past their due date and unpaid that no case claims yet, claimed into their client's
 * case. A direct debit's invoice is left to its debit (a reject comes as `payment.unrecovered`,
 * after the retries): SEPA-only organisations have rejects before invoices.
 */
export async function claimOverdueInvoices(tx: Tx, tenantId: string, clock: CaseClock, limit = 2_000): Promise<number> {
  const due = await tx.$queryRaw<{ id: string; number: string; client_id: string; contract_id: string | null; gross_cents: number; due_date: Date }[]>`
    SELECT i.id, i.number, i.client_id, i.contract_id, i.gross_cents, i.due_date
    FROM invoices i
    WHERE i.tenant_id = ${tenantId}::uuid AND i.kind = 'invoice' AND i.status IN ('issued', 'partly_paid', 'overdue')
      AND i.due_date < ${clock.today}::date AND i.gross_cents > i.paid_cents + i.credited_cents
      AND NOT (i.payment_method = 'sepa_debit' AND EXISTS (SELECT 1 FROM invoice_schedule_items l WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id))
      AND NOT EXISTS (SELECT 1 FROM dunning_case_items d WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id)
    ORDER BY i.client_id, i.due_date
    LIMIT ${limit}`;
  const byClient = new Map<string, typeof due>();
  for (const invoice of due) byClient.set(invoice.client_id, [...(byClient.get(invoice.client_id) ?? []), invoice]);
  let claimed = 0;
  for (const [clientId, invoices] of byClient) {
    const result = await claimDebts(
      tx,
      tenantId,
      clock,
      clientId,
      invoices.map((i) => ({ scheduleItemId: null, invoiceId: i.id, contractId: i.contract_id, label: `Facture ${i.number} échue le ${isoDay(i.due_date)}`, amountCents: i.gross_cents, dueDate: isoDay(i.due_date)! })),
    );
    claimed += result.added;
  }
  return claimed;
}

/**
 * The nightly run for one organisation: overdue invoices claimed, then every open case whose step
 * is due decided and its step recorded, in batches of `batchSize` read by id and written set-based.
 * Letters and contract actions are left `pending` for the actions job, scheduled at once.
 */
export async function runDunningNight(deps: { tx: Tx; tenantId: string; now: Date; today: string }, options: { batchSize?: number; claimInvoices?: boolean } = {}): Promise<NightCounts & { invoices: number }> {
  const { tx, tenantId, now, today } = deps;
  const clock: CaseClock = { today, now, createdBy: NIGHT };
  const invoices = options.claimInvoices === false ? 0 : await claimOverdueInvoices(tx, tenantId, clock);
  const plans = new Map((await loadDunningPlans(tx, tenantId)).map((p) => [p.id, p] as const));
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, legalName: true, contactEmail: true } });
  const owner = await tx.membership.findFirstOrThrow({ where: { tenantId, role: 'owner' }, orderBy: { createdAt: 'asc' }, select: { userId: true } });
  const ctx = {
    tx,
    tenantId,
    today,
    now,
    organisation: { name: organisation.legalName ?? organisation.name, contact: organisation.contactEmail ?? organisation.name },
    fallbackOwnerUserId: owner.userId,
    createdBy: NIGHT,
  };
  const counts: NightCounts = { cases: 0, steps: 0, mails: 0, tasks: 0, pending: 0, closed: 0 };
  let after = FIRST_ID;
  for (;;) {
    const rows = await loadDueCases(tx, tenantId, today, after, options.batchSize ?? NIGHT_BATCH);
    if (rows.length === 0) break;
    await writeNightBatch(ctx, rows, rows.map((row) => decideRow(row, plans, today)), plans, counts);
    after = rows[rows.length - 1]!.id;
  }
  if (counts.pending > 0) await scheduleJob(tx, { kind: DUNNING_ACTIONS_JOB.kind, key: today, runAt: now, payload: {} });
  return { ...counts, invoices };
}

/** Every night, each organisation's cases move one step where one is due. */
export const DUNNING_NIGHTLY_JOB = defineJobKind({
  kind: 'dunning.nightly',
  label: 'Relances : étape suivante de chaque dossier',
  payload: z.strictObject({}),
  recurring: { key: 'daily', rule: 'daily 05:30', payload: {} },
  run: ({ tx, tenantId, now, today }) => runDunningNight({ tx, tenantId, now, today }),
});

export const ACTIONS_BATCH = 50;

/**
 * The steps the night left `pending`: letters (rendered, kept, handed to the letter sender) and
 * contract suspensions and terminations. A step that cannot be done (the client's postal address
 * is incomplete) is recorded `failed` with the reason, for a person to finish from the worklist.
 */
export async function runPendingDunningActions(deps: { tx: Tx; tenantId: string; now: Date; today: string; storage: DocumentStorage }): Promise<{ done: number; failed: number; more: boolean }> {
  const { tx, tenantId, now, today } = deps;
  const pending = await tx.dunningCaseEntry.findMany({ where: { tenantId, kind: 'step', state: 'pending' }, orderBy: { at: 'asc' }, take: ACTIONS_BATCH + 1 });
  const plans = new Map<string, PlanWithSteps>((await loadDunningPlans(tx, tenantId)).map((p) => [p.id, p]));
  let done = 0;
  let failed = 0;
  const ctx = { tx, tenantId, now, today, storage: deps.storage, createdBy: 'system:dunning.actions' };
  for (const entry of pending.slice(0, ACTIONS_BATCH)) {
    const kase = await tx.dunningCase.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: entry.caseId } } });
    const step = plans.get(kase.planId)?.steps.find((s) => s.position === entry.position);
    const channel = entry.channel as 'letter' | 'registered_letter' | 'suspend_contract' | 'terminate_contract';
    let update: { state: string; title: string; documentId?: string };
    if (kase.status !== 'open' && kase.status !== 'paused') {
      update = { state: 'skipped', title: `${entry.title} (dossier clos entre-temps)` };
    } else if (channel === 'letter' || channel === 'registered_letter') {
      try {
        await tx.$executeRaw`SAVEPOINT dunning_letter`;
        const sent = await sendCaseLetter(ctx, { caseId: kase.id, cycle: entry.cycle!, position: entry.position!, channel, subject: step?.subject ?? entry.title, template: step?.template ?? '', audience: kase.audience as Audience });
        await tx.$executeRaw`RELEASE SAVEPOINT dunning_letter`;
        update = { state: 'done', title: entry.title, documentId: sent.documentId };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT dunning_letter`;
        update = { state: 'failed', title: `${entry.title} : ${error.message}` };
      }
    } else {
      const changed = await applyNonPaymentStep(ctx, kase.id, channel);
      update = { state: 'done', title: changed.length ? `${entry.title} (${changed.join(', ')})` : `${entry.title} (aucun contrat concerné)` };
    }
    if (update.state === 'failed') failed++;
    else done++;
    await tx.dunningCaseEntry.update({ where: { id: entry.id }, data: { ...update, onDate: dateOf(today) } });
  }
  return { done, failed, more: pending.length > ACTIONS_BATCH };
}

export const DUNNING_ACTIONS_JOB = defineJobKind({
  kind: 'dunning.actions',
  label: 'Relances : courriers et actions sur les contrats',
  payload: z.strictObject({}),
  async run({ tx, tenantId, now, today, storage }) {
    const result = await runPendingDunningActions({ tx, tenantId, now, today, storage: storage ?? NO_DOCUMENT_STORAGE });
    // More than one batch: the same job again in a minute, so each run stays short.
    if (result.more) await scheduleJob(tx, { kind: 'dunning.actions', key: `${today}:more:${now.getTime()}`, runAt: new Date(now.getTime() + 60_000), payload: {} });
    return result;
  },
});

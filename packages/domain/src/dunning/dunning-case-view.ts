import type { Tx } from '@crm/db';
import { isoDay } from './dunning-cases.ts';
import type { PlanWithSteps } from './dunning-plans.ts';
import { CASE_STATUS_LABELS, CHANNEL_LABELS, stepDueOn, type CaseStatus } from './dunning-rules.ts';

export interface CaseRowForView {
  id: string;
  status: string;
  purpose: string;
  audience: string;
  level: number;
  cycle: number;
  planId: string;
  cycleStartedOn: Date;
  lastStepOn: Date | null;
  nextStepOn: Date | null;
  pauseReason: string | null;
  openedOn: Date;
  closedOn: Date | null;
}

/** The plan's steps as a case sees them in its cycle: done (when), next (when), to come. */
export function stepsOfCase(kase: CaseRowForView, plan: PlanWithSteps | undefined, done: readonly { position: number | null; onDate: Date; state: string | null; cycle: number | null }[]) {
  if (!plan) return [];
  let lastOn: string | null = null;
  return plan.steps.map((step, i) => {
    const entry = done.find((d) => d.cycle === kase.cycle && d.position === step.position);
    const base = {
      position: step.position,
      channel: step.channel,
      channelLabel: CHANNEL_LABELS[step.channel],
      subject: step.subject,
    };
    if (entry) {
      lastOn = isoDay(entry.onDate);
      return { ...base, state: (entry.state === 'done' ? 'done' : entry.state) as 'done' | 'pending' | 'skipped' | 'failed', on: lastOn };
    }
    if (i === kase.level && kase.status === 'open') return { ...base, state: 'next' as const, on: isoDay(kase.nextStepOn) };
    // Later steps: when they would come if every step before ran on its day.
    const on = kase.status === 'open' ? stepDueOn(plan.steps, i, isoDay(kase.cycleStartedOn)!, lastOn ?? isoDay(kase.lastStepOn)) : null;
    if (on) lastOn = on;
    return { ...base, state: 'later' as const, on };
  });
}

export const caseStatusLabel = (kase: { status: string; pauseReason: string | null }): string =>
  kase.status === 'paused' ? (kase.pauseReason === 'dispute' ? 'En pause : litige' : 'En pause : échéancier') : CASE_STATUS_LABELS[kase.status as CaseStatus];

/** What the lists show of a case's next step, read from its plan. */
export function nextStepOf(kase: CaseRowForView, plan: PlanWithSteps | undefined) {
  if (kase.status !== 'open' || !plan) return null;
  const step = plan.steps[kase.level];
  return step ? { channel: step.channel, channelLabel: CHANNEL_LABELS[step.channel], subject: step.subject, on: isoDay(kase.nextStepOn) } : null;
}

export async function caseEntries(tx: Tx, tenantId: string, caseIds: readonly string[]) {
  if (caseIds.length === 0) return [];
  return tx.dunningCaseEntry.findMany({ where: { tenantId, caseId: { in: [...caseIds] } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

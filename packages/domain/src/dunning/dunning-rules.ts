import { b2bDefaultRateBasisPoints, LATE_RATE_TABLE, lateRateOn, type LateRateRow } from './dunning-rates.ts';

/**
 * The rules of dunning, pure: what a late debt costs (B2B penalties and the 40 EUR indemnity,
 * B2C nothing but legal interest after a formal notice) and what a case does next. No database,
 * no clock: the nightly run, the handlers, the views and the bench's baseline all call these.
 */

export const AUDIENCES = ['b2b', 'b2c', 'prospect'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const CHANNELS = ['email', 'letter', 'registered_letter', 'task', 'suspend_contract', 'terminate_contract'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CASE_STATUSES = ['open', 'paused', 'closed_paid', 'closed_written_off', 'closed_done'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The fixed recovery indemnity of C. com. L441-10 / D441-5: 40 EUR per late invoice, B2B only. */
export const B2B_FIXED_INDEMNITY_CENTS = 4_000;

const DAY_MS = 86_400_000;
const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromTime = (time: number) => new Date(time).toISOString().slice(0, 10);
export const addDays = (day: string, days: number): string => fromTime(toTime(day) + days * DAY_MS);
export const daysBetween = (from: string, to: string): number => Math.round((toTime(to) - toTime(from)) / DAY_MS);

/** Half-up to the cent, for a positive amount computed in fractions of a cent. */
const roundCents = (value: number) => Math.floor(value + 0.5);

/**
 * Interest on `principalCents` for the days after `from` up to and including `to`, each day at
 * the rate `rateOf` gives its half-year, on a 365-day year (the rate changes on 1 January and
 * 1 July: the period is cut there). Zero when `to` is not after `from`.
 */
export function interestCents(principalCents: number, from: string, to: string, rateOf: (row: LateRateRow) => number, table: readonly LateRateRow[] = LATE_RATE_TABLE): number {
  if (principalCents <= 0 || to <= from) return 0;
  let sum = 0; // cents × basis points × days
  let cursor = addDays(from, 1);
  while (cursor <= to) {
    const year = cursor.slice(0, 4);
    const halfEnd = cursor < `${year}-07-01` ? `${year}-06-30` : `${year}-12-31`;
    const segmentEnd = halfEnd < to ? halfEnd : to;
    sum += principalCents * rateOf(lateRateOn(cursor, table)) * (daysBetween(cursor, segmentEnd) + 1);
    cursor = addDays(segmentEnd, 1);
  }
  return roundCents(sum / 10_000 / 365);
}

/** One debt of a case as the rules see it. */
export interface ChargeItem {
  amountCents: number;
  paidCents: number;
  dueDate: string;
  /** An invoice is claimed (the 40 EUR indemnity is per late invoice, not per debit). */
  isInvoice: boolean;
}

export interface CaseCharges {
  principalCents: number;
  paidCents: number;
  outstandingCents: number;
  /** B2B late penalties (L441-10), due without a reminder. */
  penaltyCents: number;
  /** B2B fixed indemnities: 40 EUR per late invoice. */
  indemnityCents: number;
  /** B2C late interest at the legal rate, from the formal notice only. */
  interestCents: number;
  /** Recovery fees charged to the debtor: none, ever, for a consumer; none charged by this product to anyone. */
  feesCents: 0;
  totalCents: number;
}

export interface ChargeTerms {
  audience: 'b2b' | 'b2c';
  /** The contract's (or the organisation's) late-penalty rate; null: the legal default. B2C: ignored. */
  contractRateBasisPoints: number | null;
  /** The formal notice's date: B2C interest runs from it, and from nothing else. */
  formalNoticeOn: string | null;
}

/** The B2B rate of a half-year: the contract's or the default, never below 3 × the legal rate. */
export function b2bRateBasisPoints(row: LateRateRow, contractRateBasisPoints: number | null): number {
  if (contractRateBasisPoints === null) return b2bDefaultRateBasisPoints(row);
  return Math.max(contractRateBasisPoints, 3 * row.legalBasisPoints);
}

/**
 * What a case's debts come to on `asOf`. B2B: penalties on each item's outstanding amount from the
 * day after its due date, and 40 EUR per late invoice. B2C: the hard rule of CPCE L111-8, no
 * recovery fee, no penalty, no indemnity, whatever the items, the contract or the caller says; only
 * interest at the legal rate from the day after the formal notice.
 */
export function caseCharges(terms: ChargeTerms, items: readonly ChargeItem[], asOf: string, table: readonly LateRateRow[] = LATE_RATE_TABLE): CaseCharges {
  let principalCents = 0;
  let paidCents = 0;
  let penaltyCents = 0;
  let indemnityCents = 0;
  let interest = 0;
  for (const item of items) {
    const outstanding = Math.max(0, item.amountCents - item.paidCents);
    principalCents += item.amountCents;
    paidCents += Math.min(item.paidCents, item.amountCents);
    const late = item.dueDate < asOf;
    if (terms.audience === 'b2b') {
      if (late) penaltyCents += interestCents(outstanding, item.dueDate, asOf, (row) => b2bRateBasisPoints(row, terms.contractRateBasisPoints), table);
      if (late && item.isInvoice) indemnityCents += B2B_FIXED_INDEMNITY_CENTS;
    } else if (terms.formalNoticeOn !== null) {
      const from = terms.formalNoticeOn > item.dueDate ? terms.formalNoticeOn : item.dueDate;
      interest += interestCents(outstanding, from, asOf, (row) => row.legalBasisPoints, table);
    }
  }
  const charges: CaseCharges = {
    principalCents,
    paidCents,
    outstandingCents: principalCents - paidCents,
    penaltyCents,
    indemnityCents,
    interestCents: interest,
    feesCents: 0,
    totalCents: principalCents - paidCents + penaltyCents + indemnityCents + interest,
  };
  assertNoConsumerFees(terms.audience, charges);
  return charges;
}

/**
 * The hard rule, checked wherever an amount is about to be claimed from a debtor: a consumer
 * owes no recovery fee, penalty or indemnity (CPCE L111-8; C. com. L441-10 is B2B only).
 */
export function assertNoConsumerFees(audience: Audience, charges: { penaltyCents: number; indemnityCents: number; feesCents: number }): void {
  if (audience === 'b2c' && (charges.penaltyCents !== 0 || charges.indemnityCents !== 0 || charges.feesCents !== 0)) {
    throw new Error('a consumer owes no recovery fee, penalty or indemnity (CPCE L111-8)');
  }
}

/** The indemnity recorded with an item when a case claims it: 40 EUR for a B2B invoice, 0 otherwise. */
export const itemIndemnityCents = (audience: 'b2b' | 'b2c', isInvoice: boolean): number => (audience === 'b2b' && isInvoice ? B2B_FIXED_INDEMNITY_CENTS : 0);

// ---------------------------------------------------------------- what a case does next

export interface StepRule {
  position: number;
  delayDays: number;
  delayFrom: 'opened' | 'previous';
  channel: Channel;
  condition: 'no_contract' | null;
}

export interface CaseFacts {
  status: CaseStatus;
  purpose: 'recovery' | 'commercial';
  /** Steps done in the current cycle. */
  level: number;
  cycleStartedOn: string;
  lastStepOn: string | null;
  /** Recovery: what is still owed; commercial: unused. */
  outstandingCents: number;
  /** Commercial: the prospect has a contract (no follow-up needed). */
  hasContract: boolean;
}

export type Decision =
  | { kind: 'idle' }
  | { kind: 'close'; status: 'closed_paid' | 'closed_done' }
  | { kind: 'wait'; nextStepOn: string | null }
  | { kind: 'run'; step: StepRule; dueOn: string; level: number; nextStepOn: string | null };

/** When the step at `level` (0-based in the sorted plan) is due, given the last step's date. */
export function stepDueOn(steps: readonly StepRule[], level: number, cycleStartedOn: string, lastStepOn: string | null): string | null {
  const step = steps[level];
  if (!step) return null;
  const base = step.delayFrom === 'opened' || lastStepOn === null ? cycleStartedOn : lastStepOn;
  const due = addDays(base, step.delayDays);
  // 'opened' after a later previous step: never two steps the same night, never backwards.
  return lastStepOn !== null && due <= lastStepOn && level > 0 ? addDays(lastStepOn, 1) : due;
}

/**
 * A case's decision for the night of `today`: at most one step a night (a debtor never gets a
 * batch of catch-up letters), recovery closes when nothing is owed, a commercial follow-up when
 * the prospect has a contract or its plan is done. `steps` sorted by position.
 */
export function decideCase(facts: CaseFacts, steps: readonly StepRule[], today: string): Decision {
  if (facts.status !== 'open') return { kind: 'idle' };
  if (facts.purpose === 'recovery' && facts.outstandingCents <= 0) return { kind: 'close', status: 'closed_paid' };
  if (facts.purpose === 'commercial' && facts.hasContract) return { kind: 'close', status: 'closed_done' };
  const dueOn = stepDueOn(steps, facts.level, facts.cycleStartedOn, facts.lastStepOn);
  if (dueOn === null) return facts.purpose === 'commercial' ? { kind: 'close', status: 'closed_done' } : { kind: 'wait', nextStepOn: null };
  if (dueOn > today) return { kind: 'wait', nextStepOn: dueOn };
  const step = steps[facts.level]!;
  return { kind: 'run', step, dueOn, level: facts.level + 1, nextStepOn: stepDueOn(steps, facts.level + 1, facts.cycleStartedOn, today) };
}

/** Sorted by position, the shape the decision reads. */
export const sortSteps = <T extends { position: number }>(steps: readonly T[]): T[] => [...steps].sort((a, b) => a.position - b.position);

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'E-mail',
  letter: 'Lettre simple',
  registered_letter: 'Mise en demeure (LRAR)',
  task: 'Tâche',
  suspend_contract: 'Suspension du contrat',
  terminate_contract: 'Résiliation pour impayé',
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: 'Ouvert',
  paused: 'En pause',
  closed_paid: 'Clos : payé',
  closed_written_off: 'Clos : passé en perte',
  closed_done: 'Clos',
};

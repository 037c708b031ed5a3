// The rules of re-presenting a rejected SEPA debit (french-rules §3), pure: no database, no
// clock. The retries consumer (retry-on-event.ts) and a person's actions (retry-actions.ts)
// decide with them; the rejects queue shows what they decided.
import { addBusinessDays, nextCollectionDate, type IsoDate } from '../calendar/business-days.ts';
import { isRepresentable, reasonCategoryOf, type ReasonCategory, type RTransactionKind } from '../sepa/sepa-reason-codes.ts';

/**
 * When a re-presentation is collected, after its earliest possible date: debtors short of funds
 * are paid around the turn of the month (salaries on the last business days, pensions and
 * benefits early in the month), so the debit goes back just after.
 * - `after_first_of_month`: the first TARGET2 business day after the 1st of a month (the 2nd
 *   when open), leaving a day for a transfer received on the 1st to be credited;
 * - `after_month_end`: the first TARGET2 business day after the last TARGET2 business day of a
 *   month (the first business day of the next month);
 * - `earliest`: the earliest possible date, no payday.
 */
export const PAYDAY_RULES = ['after_first_of_month', 'after_month_end', 'earliest'] as const;
export type PaydayRule = (typeof PAYDAY_RULES)[number];

/** How many re-presentations an organisation allows when it says nothing (french-rules §3: banks frown on more). */
export const DEFAULT_MAX_REPRESENTATIONS = 2;
/** The most an organisation may set: EPC allows more, but every one costs the debtor a reject fee at their bank. */
export const MAX_REPRESENTATIONS_LIMIT = 5;

export interface RetryPolicy {
  /** The bank reports insufficient funds as MS03 (an organisation's setting, off by default). */
  ms03MeansInsufficientFunds: boolean;
  /** Re-presentations allowed after the first presentation (2 by default). */
  maxRepresentations: number;
}

export interface RejectedDebit {
  reasonCode: string | null;
  rTransaction: RTransactionKind | null;
  /** Which presentation was rejected: 1 for the first. */
  attempt: number;
  /** A reject fee is never presented again. */
  kind: 'instalment' | 'reject_fee';
  /** The mandate can still be used (active). */
  mandateActive: boolean;
}

export type RetryDecision =
  | { kind: 'represent'; attempt: number; category: ReasonCategory }
  | { kind: 'unrecovered'; why: 'not_retryable' | 'attempts_exhausted'; category: ReasonCategory };

/**
 * Whether a rejected debit goes back to the bank. Only for want of funds (AM04; MS03 when the
 * organisation's bank uses it so): every other reason, an unknown or missing code, a reject fee,
 * a refund the debtor asked for, or a mandate no longer usable goes to dunning or a person.
 * Never more than `maxRepresentations` times after the first presentation.
 */
export function decideRetry(debit: RejectedDebit, policy: RetryPolicy): RetryDecision {
  const category = reasonCategoryOf(debit.reasonCode, { ms03MeansInsufficientFunds: policy.ms03MeansInsufficientFunds });
  if (!isRepresentable(category) || debit.kind !== 'instalment' || debit.rTransaction === 'refund' || !debit.mandateActive) {
    return { kind: 'unrecovered', why: 'not_retryable', category };
  }
  if (debit.attempt - 1 >= policy.maxRepresentations) return { kind: 'unrecovered', why: 'attempts_exhausted', category };
  return { kind: 'represent', attempt: debit.attempt + 1, category };
}

/**
 * Whether a person may send a rejected debit back now: its reason allows it (as above), or the
 * debtor gave new bank details since (the mandate was amended after the rejection: a closed or
 * wrong account is no longer the one debited). Attempts count the same way either way.
 */
export function manualRepresentationRefusal(
  debit: RejectedDebit,
  policy: RetryPolicy,
  bankDetailsChangedSince: boolean,
): string | null {
  if (debit.kind !== 'instalment') return 'Des frais de rejet ne sont jamais présentés à nouveau';
  if (!debit.mandateActive) return 'Le mandat n’est plus utilisable : un nouveau mandat est nécessaire';
  if (debit.rTransaction === 'refund') return 'Le débiteur a demandé le remboursement : ce prélèvement ne peut pas être présenté à nouveau';
  if (debit.attempt - 1 >= policy.maxRepresentations) return 'Nombre maximal de présentations atteint';
  const category = reasonCategoryOf(debit.reasonCode, { ms03MeansInsufficientFunds: policy.ms03MeansInsufficientFunds });
  if (!isRepresentable(category) && !bankDetailsChangedSince) {
    return 'Ce motif de rejet ne permet pas de présenter à nouveau le prélèvement sans nouvelles coordonnées bancaires';
  }
  return null;
}

const monthStart = (iso: IsoDate, monthsAhead: number): IsoDate => {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7)) - 1 + monthsAhead;
  return `${year + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
};

/** The payday of the month starting `first` under `rule` (not `earliest`). */
function paydayOfMonth(first: IsoDate, rule: Exclude<PaydayRule, 'earliest'>): IsoDate {
  if (rule === 'after_first_of_month') return addBusinessDays(first, 1, 'target2');
  // The first business day after the last business day of the month before `first`.
  const lastOfPrevious = addBusinessDays(first, -1, 'target2');
  return addBusinessDays(lastOfPrevious, 1, 'target2');
}

/**
 * The collection date of a re-presentation: the first payday under `rule` on or after `earliest`
 * (itself the earliest date the lead times allow). Always a TARGET2 business day.
 */
export function paydayOnOrAfter(earliest: IsoDate, rule: PaydayRule): IsoDate {
  const open = addBusinessDays(earliest, 0, 'target2');
  if (rule === 'earliest') return open;
  // The payday of `earliest`'s month if not past, else the next month's.
  for (let ahead = 0; ahead < 3; ahead++) {
    const candidate = paydayOfMonth(monthStart(earliest, ahead), rule);
    if (candidate >= open) return candidate;
  }
  throw new Error(`no payday found after ${earliest}`);
}

export interface LeadTimes {
  /** Calendar days the debtor is told before the debit (the contract's, else the organisation's). */
  preNotificationDays: number;
  /** TARGET2 business days the bank needs the file before the collection date. */
  cutOffBusinessDays: number;
}

/** The earliest date a debit decided on `today` may be collected: its notice, then the bank's cut-off, on a TARGET2 day. */
export const earliestRepresentation = (today: IsoDate, lead: LeadTimes): IsoDate =>
  nextCollectionDate(today, { preNotificationDays: lead.preNotificationDays, cutOffBusinessDays: lead.cutOffBusinessDays });

/** The date a re-presentation decided on `today` is collected on. */
export const representationDate = (today: IsoDate, lead: LeadTimes, rule: PaydayRule): IsoDate =>
  paydayOnOrAfter(earliestRepresentation(today, lead), rule);

/** A reject fee is charged only when the contract states one and the organisation enables it. */
export const rejectFeeCents = (contractFeeCents: number | null, organisationEnabled: boolean): number | null =>
  organisationEnabled && contractFeeCents !== null && contractFeeCents > 0 ? contractFeeCents : null;

/** What the web's queue and the debtor's mail call a reject fee (never "frais de recouvrement": french-rules §4). */
export const REJECT_FEE_LABEL = 'Frais de rejet de prélèvement';

import { addDays, type IsoDate } from '../calendar/business-days.ts';
import { addMonths, contractEndDate } from '../payments/schedule-rules.ts';

/**
 * Tacit renewal, as rules on dates (no database, no clock).
 *
 * A contract of D months renewed n times runs term 1 (its first D months), then terms 2..n+1, each
 * of D months from the day after the previous one ends; every term's end is counted from the
 * start date (so a contract from 31 January keeps ending on a month's last day). The client may
 * refuse the next term until `refusalDays` days before the current one ends. A consumer must be
 * told in writing between three months and one month before that day (Code de la consommation
 * L215-1); told later or not at all, they may end the contract at any time after the renewal, free.
 */
export interface NextTerm {
  /** The term that would start next: 2 for the first renewal. */
  term: number;
  currentEnd: IsoDate;
  start: IsoDate;
  end: IsoDate;
  /** The last day the client may refuse it. */
  refuseBy: IsoDate;
  /** The consumer's notice window (L215-1): from three months to one month before `refuseBy`. */
  noticeFrom: IsoDate;
  noticeUntil: IsoDate;
  /** The day its schedule is added: early enough for the pre-notification and a batch. */
  extendFrom: IsoDate;
}

/** Days before a term's end when the next term's schedule is added (pre-notification + batch). */
export const RENEWAL_LEAD_DAYS = 60;

export function nextTerm(contract: { startDate: IsoDate; durationMonths: number; renewedTerms: number }, refusalDays: number): NextTerm {
  const current = contract.renewedTerms + 1;
  const currentEnd = contractEndDate(contract.startDate, contract.durationMonths * current);
  const refuseBy = addDays(currentEnd, -refusalDays);
  return {
    term: current + 1,
    currentEnd,
    start: addDays(currentEnd, 1),
    end: contractEndDate(contract.startDate, contract.durationMonths * (current + 1)),
    refuseBy,
    noticeFrom: addMonths(refuseBy, -3),
    noticeUntil: addMonths(refuseBy, -1),
    extendFrom: addDays(currentEnd, -RENEWAL_LEAD_DAYS),
  };
}

export type RenewalStep = 'notice' | 'late-notice' | 'extend';

/**
 * What is due on `today` for the next term, in order: the consumer's notice (late once its window
 * has passed), then the schedule. `noticeDone`/`extended`: already recorded for that term.
 */
export function renewalStepsDue(
  next: NextTerm,
  today: IsoDate,
  contract: { consumer: boolean; noticeDone: boolean; extended: boolean },
): RenewalStep[] {
  const steps: RenewalStep[] = [];
  if (contract.consumer && !contract.noticeDone && today >= next.noticeFrom) steps.push(today > next.noticeUntil ? 'late-notice' : 'notice');
  if (!contract.extended && today >= next.extendFrom) steps.push('extend');
  return steps;
}

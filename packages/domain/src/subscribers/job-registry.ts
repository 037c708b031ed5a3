import { PRE_NOTIFICATIONS_JOB } from '../client-mail/pre-notification-job.ts';
import { COMMISSIONS_DAILY_JOB } from '../commissions/commissions-daily-job.ts';
import { CONTRACT_RENEWALS_JOB } from '../contracts/renewals-job.ts';
import { DUNNING_ACTIONS_JOB, DUNNING_NIGHTLY_JOB } from '../dunning/dunning-jobs.ts';
import { REFRESH_TRANSMISSIONS_JOB } from '../einvoicing/refresh-transmissions-job.ts';
import { ISSUE_DUE_INVOICES_JOB } from '../invoices/issue-due-invoices.ts';
import { RECONCILE_LETTERS_JOB } from '../logistics/reconcile-letters-job.ts';
import { PAYMENTS_HOUSEKEEPING_JOB } from '../payments/payments-housekeeping.ts';
import type { JobKinds } from '../jobs/job-kind.ts';

/**
 * Every kind of timed job the worker runs. A kind not listed here is never claimed, so a
 * worker of an older release leaves a newer release's jobs alone during a rolling deploy.
 */
export const JOB_KINDS: JobKinds = [PAYMENTS_HOUSEKEEPING_JOB, CONTRACT_RENEWALS_JOB, ISSUE_DUE_INVOICES_JOB, REFRESH_TRANSMISSIONS_JOB, PRE_NOTIFICATIONS_JOB, COMMISSIONS_DAILY_JOB, RECONCILE_LETTERS_JOB, DUNNING_NIGHTLY_JOB, DUNNING_ACTIONS_JOB];

export const jobKindLabel = (kind: string): string => JOB_KINDS.find((k) => k.kind === kind)?.label ?? kind;

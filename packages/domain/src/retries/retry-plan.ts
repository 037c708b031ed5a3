import type { Tx } from '@crm/db';
import { isoOf } from '../payments/dates.ts';
import { loadRejections, planFor, retrySettingsOf } from './retry-on-event.ts';

/** What happens to a rejected debit, as the debtor is told: presented again on a date (with a fee), or not. */
export type RetryOutlook =
  | { kind: 'represent'; date: string; feeCents: number | null }
  | { kind: 'unrecovered'; why: 'not_retryable' | 'attempts_exhausted' | 'stopped' };

/**
 * The retries consumer's decision on a rejection, or, before it has run (the consumers run
 * independently), the same rules applied to the same rows on `today`: the debtor's notice says
 * what the consumer does.
 */
export async function retryOutlookOf(tx: Tx, tenantId: string, paymentId: string, today: string): Promise<RetryOutlook | null> {
  const decided = await tx.paymentRetry.findUnique({
    where: { tenantId_paymentId: { tenantId, paymentId } },
    select: { decision: true, why: true, collectionDate: true, feeItemId: true },
  });
  if (decided) {
    if (decided.decision === 'unrecovered') return { kind: 'unrecovered', why: decided.why as 'not_retryable' | 'attempts_exhausted' | 'stopped' };
    const fee = decided.feeItemId ? await tx.scheduleItem.findFirst({ where: { tenantId, id: decided.feeItemId }, select: { amountCents: true } }) : null;
    return { kind: 'represent', date: isoOf(decided.collectionDate!), feeCents: fee?.amountCents ?? null };
  }
  const [rejection] = await loadRejections(tx, tenantId, [paymentId]);
  if (!rejection?.scheduleItem) return null;
  const plan = planFor(rejection, await retrySettingsOf(tx, tenantId), today);
  if (plan.decision.kind === 'represent') return { kind: 'represent', date: plan.collectionDate!, feeCents: plan.feeCents };
  return { kind: 'unrecovered', why: plan.decision.why };
}

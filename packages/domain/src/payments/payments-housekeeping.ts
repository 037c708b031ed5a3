import { z } from 'zod';
import { defineJobKind } from '../jobs/job-kind.ts';
import { expireDormantMandates } from './mandates.ts';
import { settleUnansweredDebitsFor } from './settle-unanswered-debits.ts';

/**
 * The payments pass, a recurring timed job of every tenant (hourly): unanswered debits past
 * their waiting period are settled, and mandates unused for 36 months expire, in the tenant's
 * transaction with the job's completion (exactly once, whatever the number of workers).
 */
export const PAYMENTS_HOUSEKEEPING_JOB = defineJobKind({
  kind: 'payments.housekeeping',
  label: 'Prélèvements sans réponse réglés, mandats inutilisés depuis 36 mois expirés',
  payload: z.strictObject({}),
  recurring: { key: 'hourly', rule: 'hourly', payload: {} },
  async run({ tx, tenantId, today }) {
    const { settled } = await settleUnansweredDebitsFor(tx, tenantId, today);
    const expired = await expireDormantMandates(tx, tenantId, today);
    return { settled, expired };
  },
});

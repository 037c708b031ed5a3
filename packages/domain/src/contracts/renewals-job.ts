import { z } from 'zod';
import { defineJobKind } from '../jobs/job-kind.ts';
import { renewContracts } from './renew-contracts.ts';

/** Every tenant's renewal pass, daily at 06:30 Paris time (renew-contracts.ts). */
export const CONTRACT_RENEWALS_JOB = defineJobKind({
  kind: 'contracts.renewals',
  label: 'Reconduction tacite : avis aux consommateurs et échéancier de la période suivante',
  payload: z.strictObject({}),
  recurring: { key: 'daily', rule: 'daily 06:30', payload: {} },
  run: ({ tx, tenantId, today }) => renewContracts(tx, tenantId, today),
});

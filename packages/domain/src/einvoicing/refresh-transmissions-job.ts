import { z } from 'zod';
import { defineJobKind } from '../jobs/job-kind.ts';
import { refreshTransmissionsIn } from './refresh-invoice-transmissions.ts';

/**
 * Hourly per organisation: asks the approved platform for the lifecycle of the invoices it
 * transmitted that have not reached a final status (Rejetée, Refusée, Encaissée) and records
 * what changed, with its date. Without a platform (no PA_URL) it does nothing and says so.
 */
export const REFRESH_TRANSMISSIONS_JOB = defineJobKind({
  kind: 'invoicing.refresh_transmissions',
  label: 'Statuts des factures transmises à la plateforme agréée',
  payload: z.strictObject({}),
  recurring: { key: 'hourly', rule: 'hourly', payload: {} },
  async run({ tx, tenantId, now, platform }) {
    if (!platform) return { skipped: 'aucune plateforme configurée' };
    return refreshTransmissionsIn({ tx, tenantId, now, platform });
  },
});

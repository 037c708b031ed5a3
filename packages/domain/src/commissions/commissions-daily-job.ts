import { z } from 'zod';
import { defineJobKind } from '../jobs/job-kind.ts';
import { earnDueLines } from './commission-lines.ts';
import { storeStatementDocuments } from './store-statement-documents.ts';

/**
 * Daily per organisation: provisional lines whose conditions now hold (the withdrawal period is
 * over, the first debit collected) become earned, on the day they held; and statements issued
 * without their PDFs (a large issuance) get them.
 */
export const COMMISSIONS_DAILY_JOB = defineJobKind({
  kind: 'commissions.daily',
  label: 'Commissions acquises (fin du délai de rétractation) et relevés en PDF',
  payload: z.strictObject({}),
  recurring: { key: 'daily', rule: 'daily 01:30', payload: {} },
  async run({ tx, tenantId, now, today, storage }) {
    const earned = await earnDueLines(tx, tenantId, today);
    const documents = storage ? await storeStatementDocuments({ tx, tenantId, now, storage, createdBy: null }, { limit: 200 }) : 0;
    return { earned, documents };
  },
});

import { z } from 'zod';
import { defineJobKind } from '../jobs/job-kind.ts';
import { MailevaError } from '../maileva/maileva-client.ts';
import { isLetterSettled, refreshLetter } from './refresh-letter.ts';

/** A letter no webhook updated for this long is asked for (french-rules §5: poll what no webhook updated). */
export const RECONCILE_AFTER_MS = 24 * 3_600_000;
const PER_RUN = 50;

/**
 * Hourly per organisation: the submitted letters Maileva has not told us about for 24 hours (a
 * webhook lost, refused or never configured) are read back from Maileva, oldest check first,
 * until they are settled (archived, with the acknowledgement of receipt when one was asked for,
 * or rejected). A Maileva error on one letter is kept on it and does not stop the others.
 */
export const RECONCILE_LETTERS_JOB = defineJobKind({
  kind: 'letters.reconcile',
  label: 'Suivi des courriers non mis à jour depuis 24 h (Maileva)',
  payload: z.strictObject({}),
  recurring: { key: 'hourly', rule: 'hourly', payload: {} },
  async run({ tx, tenantId, now, maileva, storage }) {
    if (!maileva || !storage) return { skipped: 'Maileva non configuré' };
    const stale = new Date(now.getTime() - RECONCILE_AFTER_MS);
    const candidates = await tx.letter.findMany({
      where: { tenantId, status: 'submitted', OR: [{ statusCheckedAt: null }, { statusCheckedAt: { lt: stale } }] },
      select: { id: true, service: true, providerStatus: true, archiveDocumentId: true, acknowledgementDocumentId: true },
      orderBy: [{ statusCheckedAt: 'asc' }, { id: 'asc' }],
      take: PER_RUN * 2,
    });
    let refreshed = 0;
    let errors = 0;
    for (const letter of candidates.filter((l) => !isLetterSettled(l)).slice(0, PER_RUN)) {
      try {
        await refreshLetter({ tx, tenantId, now, maileva, storage }, letter.id);
        refreshed++;
      } catch (error) {
        if (!(error instanceof MailevaError)) throw error;
        errors++;
        await tx.letter.update({ where: { tenantId_id: { tenantId, id: letter.id } }, data: { lastError: error.message.slice(0, 2000), statusCheckedAt: now } });
      }
    }
    return { refreshed, errors };
  },
});

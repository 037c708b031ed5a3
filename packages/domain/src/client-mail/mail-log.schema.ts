import { z } from 'zod';
import { text } from '../shared/input-rules.ts';

/** What the message log shows of a mail's delivery ('sending' is shown as queued: it is on its way). */
export const MAIL_LOG_STATUSES = ['queued', 'sent', 'failed', 'uncertain'] as const;
export type MailLogStatus = (typeof MAIL_LOG_STATUSES)[number];

export const ZListMailLogInput = z.strictObject({
  /** Part of the recipient's address or of the subject, any case. */
  search: text(200).optional(),
  status: z.enum(MAIL_LOG_STATUSES, 'Statut inconnu').optional(),
  /** Keyset cursor: the id of the last mail of the previous page (ids are time-ordered). */
  cursor: z.uuid('Curseur invalide').optional(),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type TListMailLogInput = z.infer<typeof ZListMailLogInput>;

export const ZMailIdInput = z.strictObject({ mailId: z.uuid('Courriel invalide') });
export type TMailIdInput = z.infer<typeof ZMailIdInput>;

import { z } from 'zod';
import { ZCursor } from '../shared/input-rules.ts';

/** The rejects queue: every rejection, newest first, or only those still waiting for someone. */
export const ZListRejectsInput = z.strictObject({
  /** `open`: re-presentations not yet collected and rejections handed to no one yet; `all`: everything. */
  view: z.enum(['open', 'all'], 'Vue inconnue').default('all'),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListRejectsInput = z.infer<typeof ZListRejectsInput>;

/** One rejection of the queue (its payment row). */
export const ZRejectIdInput = z.strictObject({ paymentId: z.uuid('Rejet invalide') });
export type TRejectIdInput = z.infer<typeof ZRejectIdInput>;

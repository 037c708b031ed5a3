import { z } from 'zod';
import { ZCursor } from '../shared/input-rules.ts';

/** Maileva's products we send: a simple letter, a registered letter, one with acknowledgement of receipt (AR). */
export const LETTER_SERVICES = ['simple', 'registered', 'registered_with_ack'] as const;
export const ZLetterService = z.enum(LETTER_SERVICES);
export type TLetterService = z.infer<typeof ZLetterService>;

/** Delivery of a letter to Maileva (ours), not the postal status (Maileva's, in `providerStatus`). */
export const LETTER_STATUSES = ['queued', 'sending', 'submitted', 'failed', 'uncertain'] as const;
export type TLetterStatus = (typeof LETTER_STATUSES)[number];

const ZService = z.enum(LETTER_SERVICES, 'Service postal inconnu');

/** "Send by post": a stored PDF of a client (its own or one of its contracts'). */
export const ZSendDocumentByPostInput = z.strictObject({
  documentId: z.uuid('Document invalide'),
  service: ZService,
  colorPrinting: z.boolean().default(false),
  duplexPrinting: z.boolean().default(true),
  /** Made by the form when it opens: a double click or a retried request posts one letter. */
  requestId: z.uuid('Demande invalide'),
});
export type TSendDocumentByPostInput = z.infer<typeof ZSendDocumentByPostInput>;

export const ZListLettersInput = z.strictObject({
  clientId: z.uuid('Client invalide').optional(),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(30),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListLettersInput = z.infer<typeof ZListLettersInput>;

export const ZGetLetterInput = z.strictObject({ letterId: z.uuid('Courrier invalide') });
export type TGetLetterInput = z.infer<typeof ZGetLetterInput>;

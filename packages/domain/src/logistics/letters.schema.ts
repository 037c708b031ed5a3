import { z } from 'zod';

/** Maileva's products we send: a simple letter, a registered letter, one with acknowledgement of receipt (AR). */
export const LETTER_SERVICES = ['simple', 'registered', 'registered_with_ack'] as const;
export const ZLetterService = z.enum(LETTER_SERVICES);
export type TLetterService = z.infer<typeof ZLetterService>;

/** Delivery of a letter to Maileva (ours), not the postal status (Maileva's, in `providerStatus`). */
export const LETTER_STATUSES = ['queued', 'sending', 'submitted', 'failed', 'uncertain'] as const;
export type TLetterStatus = (typeof LETTER_STATUSES)[number];

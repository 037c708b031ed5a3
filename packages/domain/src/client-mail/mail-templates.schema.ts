import { z } from 'zod';
import { MAIL_TEMPLATE_KEYS } from './template-defaults.ts';

const ZKey = z.enum(MAIL_TEMPLATE_KEYS as [string, ...string[]], 'Modèle inconnu');

export const ZMailTemplateKeyInput = z.strictObject({ key: ZKey });
export type TMailTemplateKeyInput = z.infer<typeof ZMailTemplateKeyInput>;

export const ZUpdateMailTemplateInput = z.strictObject({
  key: ZKey,
  subject: z.string().trim().min(1, 'Objet requis').max(300, '300 caractères au plus').refine((s) => !/[\r\n]/.test(s), 'Une seule ligne'),
  body: z.string().trim().min(1, 'Texte requis').max(20_000, '20 000 caractères au plus'),
});
export type TUpdateMailTemplateInput = z.infer<typeof ZUpdateMailTemplateInput>;

/** A draft rendered with a real record: the client (default: the newest with an address). */
export const ZPreviewMailTemplateInput = ZUpdateMailTemplateInput.extend({ clientId: z.uuid('Identifiant invalide').optional() });
export type TPreviewMailTemplateInput = z.infer<typeof ZPreviewMailTemplateInput>;

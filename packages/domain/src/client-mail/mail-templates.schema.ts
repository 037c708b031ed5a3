import { z } from 'zod';
import { multilineText, text } from '../shared/input-rules.ts';
import { MAIL_TEMPLATE_KEYS } from './template-defaults.ts';

const ZKey = z.enum(MAIL_TEMPLATE_KEYS as [string, ...string[]], 'Modèle inconnu');

export const ZMailTemplateKeyInput = z.strictObject({ key: ZKey });
export type TMailTemplateKeyInput = z.infer<typeof ZMailTemplateKeyInput>;

export const ZUpdateMailTemplateInput = z.strictObject({
  key: ZKey,
  subject: text(300).min(1, 'Objet requis'),
  body: multilineText(20_000).min(1, 'Texte requis'),
});
export type TUpdateMailTemplateInput = z.infer<typeof ZUpdateMailTemplateInput>;

/** A draft rendered with a real record: the client (default: the newest with an address). */
export const ZPreviewMailTemplateInput = ZUpdateMailTemplateInput.extend({ clientId: z.uuid('Identifiant invalide').optional() });
export type TPreviewMailTemplateInput = z.infer<typeof ZPreviewMailTemplateInput>;

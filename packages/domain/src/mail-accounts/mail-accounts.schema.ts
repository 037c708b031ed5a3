import { z } from 'zod';
import { ZEmail } from '../shared/identifiers.schema.ts';
import { safeText, text } from '../shared/input-rules.ts';

export const ZStartMailConnectionInput = z.strictObject({ provider: z.enum(['google', 'microsoft'], 'Fournisseur inconnu') });
export type TStartMailConnectionInput = z.infer<typeof ZStartMailConnectionInput>;

/** What the provider put in the return page's query string. */
export const ZCompleteMailConnectionInput = z.strictObject({
  code: safeText().min(1, 'Code manquant').max(4096),
  state: safeText().min(16, 'Requête inconnue ou expirée').max(200),
});
export type TCompleteMailConnectionInput = z.infer<typeof ZCompleteMailConnectionInput>;

export const ZConnectSmtpAccountInput = z.strictObject({
  email: ZEmail,
  host: text(253).regex(/^[A-Za-z0-9.-]+$/, 'Nom de serveur invalide').min(1, 'Serveur requis'),
  port: z.number('Port invalide').int('Port invalide').min(1, 'Port invalide').max(65_535, 'Port invalide'),
  /** TLS from the start (465); otherwise STARTTLS is required (587). */
  secure: z.boolean(),
  username: text(254).min(1, 'Identifiant requis'),
  password: safeText().min(1, 'Mot de passe requis').max(1000, '1000 caractères au plus'),
});
export type TConnectSmtpAccountInput = z.infer<typeof ZConnectSmtpAccountInput>;

export const ZMailConnectionIdInput = z.strictObject({ connectionId: z.uuid('Identifiant invalide') });
export type TMailConnectionIdInput = z.infer<typeof ZMailConnectionIdInput>;

/** null: the system sender. */
export const ZSetMailSenderInput = z.strictObject({ connectionId: z.uuid('Identifiant invalide').nullable() });
export type TSetMailSenderInput = z.infer<typeof ZSetMailSenderInput>;

import { z } from 'zod';
import { ZEmail } from '../shared/identifiers.schema.ts';
import { safeText } from '../shared/input-rules.ts';

export { ZEmail };

// A passphrase policy (length, not character classes), capped so hashing cannot be abused.
export const ZNewPassword = safeText()
  .min(10, 'Le mot de passe doit contenir au moins 10 caractères')
  .max(256, 'Mot de passe trop long');

const ZPassword = safeText().min(1, 'Mot de passe requis').max(256, 'Mot de passe trop long');
const ZPersonName = safeText().trim().min(1, 'Nom requis').max(100, 'Nom trop long');

export const ZSignUpInput = z.strictObject({
  name: ZPersonName,
  email: ZEmail,
  password: ZNewPassword,
  organisationName: safeText().trim().min(1, "Nom de l'organisation requis").max(120, 'Nom trop long'),
});
export type TSignUpInput = z.infer<typeof ZSignUpInput>;

export const ZLogInInput = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  organisationId: z.uuid().optional(),
});
export type TLogInInput = z.infer<typeof ZLogInInput>;

// The secret of a sign-up's link (newSecret: 32 random bytes, base64url).
export const ZVerifyEmailInput = z.strictObject({ token: z.string().trim().min(20, 'Lien invalide').max(200, 'Lien invalide') });
export type TVerifyEmailInput = z.infer<typeof ZVerifyEmailInput>;

export const ZSwitchOrganisationInput = z.strictObject({ organisationId: z.uuid('Organisation invalide') });
export type TSwitchOrganisationInput = z.infer<typeof ZSwitchOrganisationInput>;

export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>;

export const ZResetPasswordInput = z.strictObject({
  token: z.string().trim().min(20, 'Lien invalide').max(200, 'Lien invalide'),
  password: ZNewPassword,
});
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZChangePasswordInput = z.strictObject({ currentPassword: ZPassword, newPassword: ZNewPassword });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

/** The signed-in user's password, asked again (leaving a signature's hand-over mode). */
export const ZConfirmPasswordInput = z.strictObject({ password: ZPassword });
export type TConfirmPasswordInput = z.infer<typeof ZConfirmPasswordInput>;

export { ZPersonName, ZPassword };

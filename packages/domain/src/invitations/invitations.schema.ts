import { z } from 'zod';
import { safeText } from '../shared/input-rules.ts';
import { ZEmail, ZNewPassword, ZPersonName } from '../auth/auth.schema.ts';
import { ZRole } from '../members/members.schema.ts';

export const ZCreateInvitationInput = z.strictObject({ email: ZEmail, role: ZRole });
export type TCreateInvitationInput = z.infer<typeof ZCreateInvitationInput>;

export const ZRevokeInvitationInput = z.strictObject({ invitationId: z.uuid('Invitation invalide') });
export type TRevokeInvitationInput = z.infer<typeof ZRevokeInvitationInput>;

// An invitation token is "<tenant id>.<secret>": the tenant part only says where to look;
// the secret (stored as a hash) is what proves the invitation.
export const ZInvitationToken = safeText('Invitation invalide').trim().min(10, 'Invitation invalide').max(200, 'Invitation invalide');

export const ZPreviewInvitationInput = z.strictObject({ token: ZInvitationToken });
export type TPreviewInvitationInput = z.infer<typeof ZPreviewInvitationInput>;

export const ZAcceptInvitationInput = z.strictObject({
  token: ZInvitationToken,
  /** Required when the invited email has no account yet. */
  name: ZPersonName.optional(),
  /** The new account's password, or the existing account's. */
  password: ZNewPassword.or(safeText().min(1, 'Mot de passe requis').max(256, 'Mot de passe trop long')),
});
export type TAcceptInvitationInput = z.infer<typeof ZAcceptInvitationInput>;

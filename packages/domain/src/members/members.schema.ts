import { z } from 'zod';
import { ROLES } from '../access/permissions.ts';

export const ZRole = z.enum(ROLES, 'Rôle inconnu');

export const ZChangeMemberRoleInput = z.strictObject({ memberId: z.uuid('Membre invalide'), role: ZRole });
export type TChangeMemberRoleInput = z.infer<typeof ZChangeMemberRoleInput>;

export const ZRemoveMemberInput = z.strictObject({ memberId: z.uuid('Membre invalide') });
export type TRemoveMemberInput = z.infer<typeof ZRemoveMemberInput>;

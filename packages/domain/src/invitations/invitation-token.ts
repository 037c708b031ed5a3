import { isUuid } from '@crm/db';
import { hashSecret, newSecret } from '../auth/tokens.ts';

export function newInvitationToken(tenantId: string): { token: string; tokenHash: string } {
  const secret = newSecret();
  return { token: `${tenantId}.${secret}`, tokenHash: hashSecret(secret) };
}

export function parseInvitationToken(token: string): { tenantId: string; tokenHash: string } | null {
  const [tenantId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !tenantId || !secret || !isUuid(tenantId)) return null;
  return { tenantId, tokenHash: hashSecret(secret) };
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(
  invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt <= now) return 'expired';
  return 'pending';
}

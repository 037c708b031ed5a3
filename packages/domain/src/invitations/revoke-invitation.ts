import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { TRevokeInvitationInput } from './invitations.schema.ts';

export async function revokeInvitation({ tx, actor, now }: TenantDeps, input: TRevokeInvitationInput) {
  const invitation = await tx.invitation.findFirst({ where: { id: input.invitationId, tenantId: actor.tenantId } });
  if (!invitation) throw notFound('Invitation');
  if (invitation.acceptedAt) throw conflict('Cette invitation a déjà été acceptée');
  if (!invitation.revokedAt) {
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
    await emitEvent(tx, { type: 'member.invitation_revoked', tenantId: actor.tenantId, payload: { invitationId: invitation.id } });
    await auditAs(tx, actor, {
      action: 'member.invitation_revoked',
      entityType: 'invitation',
      entityId: invitation.id,
    });
  }
  return { id: invitation.id, status: 'revoked' as const };
}

import { auditAs } from '../audit/record-audit.ts';
import type { AuthConfig } from '../auth/tokens.ts';
import { emitEvent } from '../events/emit-event.ts';
import { assertCanAssign } from '../members/member-guards.ts';
import type { TenantDeps } from '../shared/context.ts';
import { invitationMail } from '../mail/account-mails.ts';
import { queueSystemMail } from '../mail/system-mail.ts';
import { conflict } from '../shared/errors.ts';
import type { TCreateInvitationInput } from './invitations.schema.ts';
import { newInvitationToken } from './invitation-token.ts';

/**
 * Invites someone by email with a role. The token is returned once, here (the link to copy),
 * and mailed to the address in the same transaction; only its hash is stored. Inviting the same email again replaces the pending invitation.
 */
export async function createInvitation(
  { tx, actor, now }: TenantDeps,
  config: Pick<AuthConfig, 'invitationTtlDays' | 'appUrl'>,
  input: TCreateInvitationInput,
) {
  assertCanAssign(actor, input.role);
  const alreadyMember = await tx.membership.findFirst({
    where: { tenantId: actor.tenantId, user: { email: input.email } },
    select: { id: true },
  });
  if (alreadyMember) throw conflict('Cette personne est déjà membre', { email: ['Déjà membre de cette organisation'] });

  await tx.invitation.updateMany({
    where: { tenantId: actor.tenantId, email: input.email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  const { token, tokenHash } = newInvitationToken(actor.tenantId);
  const invitation = await tx.invitation.create({
    data: {
      tenantId: actor.tenantId,
      email: input.email,
      role: input.role,
      tokenHash,
      invitedByMemberId: actor.memberId,
      expiresAt: new Date(now.getTime() + config.invitationTtlDays * 86_400_000),
    },
  });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true } });
  const inviter = await tx.user.findUnique({ where: { id: actor.userId }, select: { name: true } });
  await queueSystemMail(
    tx,
    invitationMail({ invitationId: invitation.id, email: input.email, organisationName: organisation.name, inviterName: inviter?.name ?? null, appUrl: config.appUrl, token, expiresAt: invitation.expiresAt }),
  );
  await emitEvent(tx, {
    type: 'member.invited',
    tenantId: actor.tenantId,
    payload: { invitationId: invitation.id, email: input.email, role: input.role },
  });
  await auditAs(tx, actor, {
    action: 'member.invited',
    entityType: 'invitation',
    entityId: invitation.id,
    data: { email: input.email, role: input.role },
  });
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    token,
  };
}

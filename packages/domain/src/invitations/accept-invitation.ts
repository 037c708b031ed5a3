import { classifyDbError, withTenant, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { ZNewPassword } from '../auth/auth.schema.ts';
import { passwordCheckSucceeded, reservePasswordCheck } from '../auth/login-throttle.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { startSession, type IssuedSession } from '../auth/sessions.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { badRequest, conflict, DomainError, unauthorized } from '../shared/errors.ts';
import type { TAcceptInvitationInput, TPreviewInvitationInput } from './invitations.schema.ts';
import { parseInvitationToken } from './invitation-token.ts';

const GONE = 'Invitation introuvable ou expirée';

async function findPending(tx: Tx, tokenHash: string, now: Date) {
  return tx.invitation.findFirst({
    where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, organisation: { select: { name: true } } },
  });
}

/** What the invitation page shows before accepting; the token is the only credential. */
export async function previewInvitation(deps: Pick<AuthDeps, 'db' | 'clock'>, input: TPreviewInvitationInput) {
  const parsed = parseInvitationToken(input.token);
  if (!parsed) throw new DomainError('NOT_FOUND', GONE);
  const invitation = await withTenant(deps.db, parsed.tenantId, (tx) => findPending(tx, parsed.tokenHash, deps.clock()));
  if (!invitation) throw new DomainError('NOT_FOUND', GONE);
  const hasAccount = (await deps.db.user.count({ where: { email: invitation.email } })) > 0;
  return { organisationName: invitation.organisation.name, email: invitation.email, role: invitation.role, hasAccount };
}

/**
 * Joins the organisation the invitation is for: with the existing account of the invited
 * email (its password proves it), or with a new account. The invitation's link counts as the
 * proof of the address that a sign-up's link gives (it is meant for that mailbox; until mail is
 * sent, the inviter hands it over). Returns a session in that organisation.
 */
export async function acceptInvitation(
  deps: AuthDeps,
  input: TAcceptInvitationInput,
  client: ClientInfo,
): Promise<IssuedSession> {
  const now = deps.clock();
  const parsed = parseInvitationToken(input.token);
  if (!parsed) throw new DomainError('NOT_FOUND', GONE);
  const { tenantId, tokenHash } = parsed;
  const invitation = await withTenant(deps.db, tenantId, (tx) => findPending(tx, tokenHash, now));
  if (!invitation) throw new DomainError('NOT_FOUND', GONE);

  const existing = await deps.db.user.findUnique({ where: { email: invitation.email }, select: { id: true, passwordHash: true } });
  let newUser: { name: string; passwordHash: string } | null = null;
  if (existing) {
    // A password check like a login's, reserved in the same throttle before verifying.
    await reservePasswordCheck(deps.db, invitation.email, client.ip, now);
    if (!(await verifyPassword(existing.passwordHash, input.password))) throw unauthorized('Mot de passe incorrect');
    await passwordCheckSucceeded(deps.db, invitation.email, client.ip);
  } else {
    const fieldErrors: Record<string, string[]> = {};
    if (!input.name) fieldErrors.name = ['Nom requis'];
    const password = ZNewPassword.safeParse(input.password);
    if (!password.success) fieldErrors.password = password.error.issues.map((issue) => issue.message);
    if (Object.keys(fieldErrors).length > 0) throw badRequest('Informations manquantes', fieldErrors);
    newUser = { name: input.name!, passwordHash: await hashPassword(input.password) };
  }

  const userId = await withTenant(deps.db, tenantId, async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count !== 1) throw new DomainError('NOT_FOUND', GONE);
    const user = existing ?? (await tx.user.create({ data: { email: invitation.email, ...newUser! }, select: { id: true } }));
    const member = await tx.membership.create({ data: { tenantId, userId: user.id, role: invitation.role } });
    await emitEvent(tx, { type: 'member.joined', tenantId, payload: { memberId: member.id, userId: user.id, role: invitation.role } });
    await recordAudit(tx, {
      tenantId,
      actorUserId: user.id,
      action: 'member.joined',
      entityType: 'membership',
      entityId: member.id,
      data: { invitationId: invitation.id, role: invitation.role },
    });
    return user.id;
  }).catch((error: unknown) => {
    if (classifyDbError(error)?.kind === 'conflict') throw conflict('Vous êtes déjà membre de cette organisation');
    throw error;
  });
  return startSession(deps, { userId, tenantId, client });
}



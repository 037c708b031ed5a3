import { withUser } from '@crm/db';
import { refreshTokenReuseNoticeMail } from '../mail/account-mails.ts';
import { queueSystemMail } from '../mail/system-mail.ts';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { unauthorized } from '../shared/errors.ts';
import { issueAccess, revokeFamily, type IssuedSession } from './sessions.ts';
import { hashSecret, newSecret } from './tokens.ts';

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family is
 * issued. Presenting a spent token is the signature of a stolen one: the whole family is
 * revoked, so both the thief and the victim must log in again.
 */
export async function refreshSession(deps: AuthDeps, refreshToken: string | undefined, client?: ClientInfo): Promise<IssuedSession> {
  if (!refreshToken) throw unauthorized('Session expirée');
  const now = deps.clock();
  const found = await deps.db.refreshToken.findUnique({
    where: { tokenHash: hashSecret(refreshToken) },
    select: { id: true, rotatedAt: true, family: { select: { id: true, userId: true, activeTenantId: true, revokedAt: true, expiresAt: true } } },
  });
  if (!found || found.family.revokedAt || found.family.expiresAt <= now) throw unauthorized('Session expirée');
  const { family } = found;

  const secret = newSecret();
  // The conditional update makes the rotation atomic: of two concurrent uses of one token,
  // exactly one wins and the other is treated as reuse.
  const rotated = await deps.db.$transaction(async (tx) => {
    const spent = await tx.refreshToken.updateMany({ where: { id: found.id, rotatedAt: null }, data: { rotatedAt: now } });
    if (spent.count !== 1) return false;
    await tx.refreshToken.create({ data: { familyId: family.id, tokenHash: hashSecret(secret) } });
    return true;
  });
  if (!rotated) {
    await revokeFamily(deps.db, family.id, 'refresh_token_reuse', now);
    // The owner is told by mail (system mail, once per session): they may be the victim.
    const user = await deps.db.user.findUnique({ where: { id: family.userId }, select: { id: true, email: true, name: true } });
    if (user) {
      await deps.db.$transaction((tx) =>
        queueSystemMail(tx, refreshTokenReuseNoticeMail({ userId: user.id, email: user.email, name: user.name, appUrl: deps.auth.appUrl, familyId: family.id, at: now, ip: client?.ip ?? null, userAgent: client?.userAgent ?? null })),
      );
    }
    throw unauthorized('Session révoquée');
  }

  // The active organisation may have gone (member removed): fall back to another or none.
  const memberships = await withUser(deps.db, family.userId, (tx) =>
    tx.membership.findMany({ where: { userId: family.userId }, orderBy: { createdAt: 'asc' }, select: { tenantId: true } }),
  );
  const tenantId = memberships.some((m) => m.tenantId === family.activeTenantId)
    ? family.activeTenantId
    : (memberships[0]?.tenantId ?? null);
  if (tenantId !== family.activeTenantId) {
    await deps.db.refreshTokenFamily.update({ where: { id: family.id }, data: { activeTenantId: tenantId } });
  }
  const grant = await issueAccess(deps, { userId: family.userId, tenantId, sessionId: family.id });
  return { ...grant, refresh: { token: secret, expiresAt: family.expiresAt } };
}

import type { Db } from '@crm/db';
import type { AuthDeps, ClientInfo } from '../shared/context.ts';
import { unauthorized } from '../shared/errors.ts';
import { hashSecret, newSecret, signAccessToken, type AccessClaims } from './tokens.ts';

/** A signed access token and what it grants. */
export interface AccessGrant {
  accessToken: string;
  accessTokenExpiresAt: string;
  userId: string;
  organisationId: string | null;
}

/** What login-like use cases return. The transport puts `refresh` in an httpOnly cookie. */
export interface IssuedSession extends AccessGrant {
  refresh: { token: string; expiresAt: Date };
}

const DAY_MS = 86_400_000;

/** Opens a session: a new refresh-token family with its first token, and an access token. */
export async function startSession(
  deps: AuthDeps,
  params: { userId: string; tenantId: string | null; client: ClientInfo },
): Promise<IssuedSession> {
  const now = deps.clock();
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + deps.auth.refreshTokenTtlDays * DAY_MS);
  const family = await deps.db.refreshTokenFamily.create({
    data: {
      userId: params.userId,
      activeTenantId: params.tenantId,
      ip: params.client.ip ?? null,
      userAgent: params.client.userAgent?.slice(0, 300) ?? null,
      expiresAt,
      tokens: { create: { tokenHash: hashSecret(secret) } },
    },
    select: { id: true },
  });
  const grant = await issueAccess(deps, { userId: params.userId, tenantId: params.tenantId, sessionId: family.id });
  return { ...grant, refresh: { token: secret, expiresAt } };
}

export async function issueAccess(deps: AuthDeps, claims: AccessClaims): Promise<AccessGrant> {
  const now = deps.clock();
  const accessToken = await signAccessToken(deps.auth, claims, now);
  return {
    accessToken,
    accessTokenExpiresAt: new Date(now.getTime() + deps.auth.accessTokenTtlSeconds * 1000).toISOString(),
    userId: claims.userId,
    organisationId: claims.tenantId,
  };
}

export async function revokeFamily(db: Db, familyId: string, reason: string, now: Date): Promise<void> {
  await db.refreshTokenFamily.updateMany({
    where: { id: familyId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
}

/** A live session of this user, or UNAUTHORIZED (revoked by logout or by token reuse). */
export async function requireLiveSession(db: Db, userId: string, sessionId: string, now: Date) {
  const family = await db.refreshTokenFamily.findFirst({
    where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, activeTenantId: true },
  });
  if (!family) throw unauthorized('Session expirée');
  return family;
}

import { isUuid, withTenant, type Db } from '@crm/db';
import { hashSecret, newSecret } from '../auth/tokens.ts';
import type { Clock } from '../shared/clock.ts';
import type { TenantDeps } from '../shared/context.ts';

/**
 * Tickets for the notification stream. EventSource cannot send headers, so whatever opens the
 * stream travels in its URL, which proxies and server logs keep: an access token there would be
 * replayable for its ten minutes. A ticket is asked for with the access token (a procedure, in
 * the Authorization header) just before each connection, and opens one stream, once, within
 * STREAM_TICKET_TTL_SECONDS: `<tenant id>.<secret>` like invitation and calendar-feed tokens
 * (the tenant part says where to look), only sha256(secret) stored (`stream_tickets`, under the
 * tenant's row-level security), deleted by the statement that reads it. It is bound to the login
 * session it was asked for under: the stream's request must also carry that session's refresh
 * cookie (httpOnly, SameSite=Strict, sent by the browser with EventSource's same-origin request),
 * so a ticket copied from a log, or another user's, opens nothing.
 */

export const STREAM_TICKET_TTL_SECONDS = 30;
export type StreamPurpose = 'notifications';

/**
 * A new ticket for the actor to open a `purpose` stream in the session `sessionId` (the access
 * token's refresh-token family); their expired tickets are cleared on the way.
 */
export async function issueStreamTicket(
  { tx, actor, now }: TenantDeps,
  params: { purpose: StreamPurpose; sessionId: string },
): Promise<{ ticket: string; expiresAt: string }> {
  await tx.streamTicket.deleteMany({ where: { tenantId: actor.tenantId, userId: actor.userId, expiresAt: { lte: now } } });
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + STREAM_TICKET_TTL_SECONDS * 1000);
  await tx.streamTicket.create({
    data: {
      tenantId: actor.tenantId,
      userId: actor.userId,
      sessionId: params.sessionId,
      purpose: params.purpose,
      tokenHash: hashSecret(secret),
      createdAt: now,
      expiresAt,
    },
  });
  return { ticket: `${actor.tenantId}.${secret}`, expiresAt: expiresAt.toISOString() };
}

function parseStreamTicket(ticket: string): { tenantId: string; tokenHash: string } | null {
  const [tenantId, secret, ...rest] = ticket.split('.');
  if (rest.length > 0 || !tenantId || !secret || !isUuid(tenantId) || !/^[\w-]{20,100}$/.test(secret)) return null;
  return { tenantId, tokenHash: hashSecret(secret) };
}

/**
 * Uses a ticket up: the user and organisation it was issued to, or null when it is malformed,
 * unknown, already used, expired, for another purpose, or presented without the refresh cookie
 * of its session (a live one). One DELETE ... RETURNING finds and removes it, so of two
 * concurrent uses exactly one gets it, and a ticket tried with the wrong cookie is gone too.
 * Whether that user is still a member who may read notifications is the caller's check (their
 * membership row also takes its tickets with it when removed).
 */
export async function consumeStreamTicket(
  deps: { db: Db; clock: Clock },
  params: { ticket: string; purpose: StreamPurpose; refreshToken: string | undefined },
): Promise<{ tenantId: string; userId: string } | null> {
  const parsed = parseStreamTicket(params.ticket);
  if (!parsed) return null;
  const { tenantId, tokenHash } = parsed;
  const now = deps.clock();
  const rows = await withTenant(deps.db, tenantId, (tx) =>
    tx.$queryRaw<{ user_id: string; session_id: string; purpose: string; expires_at: Date }[]>`
      DELETE FROM stream_tickets WHERE tenant_id = ${tenantId}::uuid AND token_hash = ${tokenHash}
      RETURNING user_id, session_id, purpose, expires_at`,
  );
  const row = rows[0];
  if (!row || row.purpose !== params.purpose || row.expires_at.getTime() <= now.getTime() || !params.refreshToken) return null;
  // Sessions are global (a person's, not an organisation's): read outside any tenant, like a refresh.
  const cookie = await deps.db.refreshToken.findUnique({
    where: { tokenHash: hashSecret(params.refreshToken) },
    select: { family: { select: { id: true, userId: true, revokedAt: true, expiresAt: true } } },
  });
  const session = cookie?.family;
  if (!session || session.id !== row.session_id || session.userId !== row.user_id || session.revokedAt || session.expiresAt <= now) return null;
  return { tenantId, userId: row.user_id };
}

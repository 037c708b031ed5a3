import { isUuid, withTenant, type Db } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { hashSecret, newSecret } from '../auth/tokens.ts';
import type { Clock } from '../shared/clock.ts';
import type { TenantDeps } from '../shared/context.ts';
import { memberNames } from '../shared/member-names.ts';
import { appointmentInclude, peopleOf } from './appointment-view.ts';
import { MAX_APPOINTMENT_DAYS } from './appointments.schema.ts';
import { renderICalendar } from './ics.ts';

// A member's private feed URL carries `<tenant id>.<secret>`, as invitation tokens do: the tenant
// part says where to look (no cross-tenant lookup), the secret proves the feed; only its sha256
// is stored, so the URL is shown once, when it is made, and a lost one is replaced by rotating.

export const FEED_PAST_DAYS = 30;
export const FEED_FUTURE_DAYS = 365;
const FEED_LIMIT = 5_000;

export const calendarFeedPath = (token: string): string => `/calendar/${token}.ics`;

export function parseCalendarFeedToken(token: string): { tenantId: string; tokenHash: string } | null {
  const [tenantId, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !tenantId || !secret || !isUuid(tenantId) || !/^[\w-]{20,100}$/.test(secret)) return null;
  return { tenantId, tokenHash: hashSecret(secret) };
}

/** Whether I have a feed URL in use, and since when (the URL itself cannot be shown again). */
export async function getMyCalendarFeed({ tx, actor }: TenantDeps) {
  const feed = await tx.calendarFeed.findFirst({
    where: { tenantId: actor.tenantId, userId: actor.userId, revokedAt: null },
    orderBy: { createdAt: 'desc' },
  });
  return { active: Boolean(feed), createdAt: feed?.createdAt.toISOString() ?? null };
}

/** A new feed URL for me; any previous one stops working. The token is returned here only. */
export async function rotateMyCalendarFeed({ tx, actor, now }: TenantDeps) {
  const revoked = await tx.calendarFeed.updateMany({
    where: { tenantId: actor.tenantId, userId: actor.userId, revokedAt: null },
    data: { revokedAt: now },
  });
  const secret = newSecret();
  const token = `${actor.tenantId}.${secret}`;
  const feed = await tx.calendarFeed.create({ data: { tenantId: actor.tenantId, userId: actor.userId, tokenHash: hashSecret(secret) } });
  await auditAs(tx, actor, { action: 'calendar_feed.rotated', entityType: 'calendar_feed', entityId: feed.id, data: { revoked: revoked.count } });
  return { token, path: calendarFeedPath(token), createdAt: feed.createdAt.toISOString() };
}

/**
 * The iCalendar text of a feed token: the appointments its member owns or attends, from
 * FEED_PAST_DAYS ago to FEED_FUTURE_DAYS ahead, cancelled ones included (STATUS:CANCELLED tells
 * subscribed calendars to drop them). Null for a malformed, unknown or revoked token, or a member
 * who has left. Reads only in the token's tenant, and, once the feed is found, as its member:
 * the URL shows what that member would see in the app (a client outside their scope stays
 * unnamed), never more.
 */
export async function readCalendarFeed(deps: { db: Db; clock: Clock }, token: string): Promise<string | null> {
  const parsed = parseCalendarFeedToken(token);
  if (!parsed) return null;
  const { tenantId, tokenHash } = parsed;
  const now = deps.clock();
  return withTenant(deps.db, tenantId, async (tx) => {
    const feed = await tx.calendarFeed.findFirst({ where: { tenantId, tokenHash, revokedAt: null }, select: { userId: true } });
    if (!feed) return null;
    // From here on, the transaction acts as the feed's member: their client and member scopes apply.
    const entered = await tx.$queryRaw<{ member_id: string }[]>`SELECT member_id FROM crm_enter_tenant(${tenantId}::uuid, ${feed.userId}::uuid)`;
    if (entered.length === 0) return null;
    const member = await tx.membership.findUnique({
      where: { tenantId_userId: { tenantId, userId: feed.userId } },
      select: { user: { select: { name: true } }, organisation: { select: { name: true } } },
    });
    if (!member) return null;
    const from = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000);
    const to = new Date(now.getTime() + FEED_FUTURE_DAYS * 86_400_000);
    const rows = await tx.appointment.findMany({
      where: {
        tenantId,
        startsAt: { gte: new Date(from.getTime() - MAX_APPOINTMENT_DAYS * 86_400_000), lt: to },
        endsAt: { gt: from },
        OR: [{ ownerUserId: feed.userId }, { attendeeUserIds: { has: feed.userId } }],
      },
      include: appointmentInclude,
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: FEED_LIMIT,
    });
    const names = await memberNames(tx, tenantId, rows.flatMap(peopleOf));
    return renderICalendar({
      name: `Rendez-vous ${member.user.name} (${member.organisation.name})`,
      events: rows.map((a) => ({
        uid: `${a.id}@crm`,
        sequence: a.sequence,
        created: a.createdAt,
        lastModified: a.updatedAt,
        start: a.startsAt,
        end: a.endsAt,
        summary: a.title,
        location: a.location,
        description: [
          a.client ? `Client : ${a.client.displayName}` : '',
          `Participants : ${peopleOf(a).map((id) => names.get(id) ?? 'ancien membre').join(', ')}`,
          a.notes,
        ].filter(Boolean).join('\n'),
        cancelled: a.cancelledAt !== null,
        reminderMinutes: a.reminderMinutes,
      })),
    });
  });
}

import type { Notification } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { NOTIFICATION_TYPES, type NotificationType } from './notification-types.ts';
import type { TListNotificationsInput, TNotificationIdInput, TSetNotificationPreferenceInput } from './notifications.schema.ts';

// A user's own notifications in the active organisation: every query filters on the actor.

export const toNotificationView = (n: Notification) => ({
  id: n.id,
  type: n.type,
  title: n.title,
  body: n.body,
  link: n.link,
  read: n.readAt !== null,
  createdAt: n.createdAt.toISOString(),
});
export type NotificationView = ReturnType<typeof toNotificationView>;

export async function listNotifications({ tx, actor }: TenantDeps, input: TListNotificationsInput) {
  const rows = await tx.notification.findMany({
    where: { tenantId: actor.tenantId, userId: actor.userId, ...(input.before ? { id: { lt: input.before } } : {}) },
    orderBy: { id: 'desc' },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit).map(toNotificationView);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function countUnreadNotifications({ tx, actor }: TenantDeps) {
  return tx.notification.count({ where: { tenantId: actor.tenantId, userId: actor.userId, readAt: null } });
}

/** What arrived after `afterId` (ids are time-ordered UUIDv7), oldest first: the stream's catch-up. */
export async function notificationsAfter({ tx, actor }: TenantDeps, afterId: string | null) {
  const rows = await tx.notification.findMany({
    where: { tenantId: actor.tenantId, userId: actor.userId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: 'asc' },
    take: 100,
  });
  return rows.map(toNotificationView);
}

export async function markNotificationRead({ tx, actor, now }: TenantDeps, input: TNotificationIdInput) {
  const updated = await tx.notification.updateMany({
    where: { id: input.notificationId, tenantId: actor.tenantId, userId: actor.userId },
    data: { readAt: now },
  });
  if (updated.count === 0) throw notFound('Notification');
  return { unread: await countUnreadNotifications({ tx, actor, now }) };
}

export async function markAllNotificationsRead({ tx, actor, now }: TenantDeps) {
  const updated = await tx.notification.updateMany({
    where: { tenantId: actor.tenantId, userId: actor.userId, readAt: null },
    data: { readAt: now },
  });
  return { marked: updated.count, unread: 0 };
}

export async function getNotificationPreferences({ tx, actor }: TenantDeps) {
  const stored = await tx.notificationPreference.findMany({ where: { tenantId: actor.tenantId, userId: actor.userId } });
  return (Object.keys(NOTIFICATION_TYPES) as NotificationType[]).map((type) => ({
    type,
    label: NOTIFICATION_TYPES[type],
    inApp: stored.find((p) => p.type === type)?.inApp ?? true,
  }));
}

export async function setNotificationPreference({ tx, actor, now }: TenantDeps, input: TSetNotificationPreferenceInput) {
  await tx.notificationPreference.upsert({
    where: { tenantId_userId_type: { tenantId: actor.tenantId, userId: actor.userId, type: input.type } },
    create: { tenantId: actor.tenantId, userId: actor.userId, type: input.type, inApp: input.inApp },
    update: { inApp: input.inApp },
  });
  return getNotificationPreferences({ tx, actor, now });
}

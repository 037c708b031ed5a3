import {
  countUnreadNotifications,
  getNotificationPreferences,
  issueStreamTicket,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  setNotificationPreference,
  streamNotifications,
  ZListNotificationsInput,
  ZNotificationIdInput,
  ZSetNotificationPreferenceInput,
} from '@crm/domain';
import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { tenantProcedure, tenantStreamProcedure } from '../procedures.ts';

// tracked(): each message carries the notification id, which the client sends back as
// lastEventId when it reconnects, so the stream resumes exactly after the last one it saw.
async function* withIds<T extends { id: string }>(source: AsyncGenerator<T>) {
  for await (const item of source) yield tracked(item.id, item);
}

export const notificationsRouter = {
  list: tenantProcedure.access('notifications.read').input(ZListNotificationsInput).query(({ ctx, input }) => listNotifications(ctx.deps, input)),
  unreadCount: tenantProcedure.access('notifications.read').query(({ ctx }) => countUnreadNotifications(ctx.deps)),
  markRead: tenantProcedure.access('notifications.read').input(ZNotificationIdInput).mutation(({ ctx, input }) => markNotificationRead(ctx.deps, input)),
  markAllRead: tenantProcedure.access('notifications.read').mutation(({ ctx }) => markAllNotificationsRead(ctx.deps)),
  preferences: tenantProcedure.access('notifications.read').query(({ ctx }) => getNotificationPreferences(ctx.deps)),
  setPreference: tenantProcedure.access('notifications.read').input(ZSetNotificationPreferenceInput).mutation(({ ctx, input }) => setNotificationPreference(ctx.deps, input)),
  // The stream's credential (EventSource sends no headers): one use, 30 s, its session's cookie beside it; asked for before each connection.
  streamTicket: tenantProcedure.access('notifications.read').mutation(({ ctx }) => issueStreamTicket(ctx.deps, { purpose: 'notifications', sessionId: ctx.claims.sessionId })),
  onNotification: tenantStreamProcedure.access('notifications.read', 'notifications').input(z.strictObject({ lastEventId: z.uuid().nullish() }).optional()).subscription(({ ctx, input, signal }) => withIds(streamNotifications(ctx.stream, { after: input?.lastEventId }, signal ?? new AbortController().signal))),
} satisfies TRPCRouterRecord;

import { z } from 'zod';
import { NOTIFICATION_TYPES, type NotificationType } from './notification-types.ts';

export const ZListNotificationsInput = z.strictObject({
  /** Keyset cursor: the id of the last notification of the previous page. */
  before: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type TListNotificationsInput = z.infer<typeof ZListNotificationsInput>;

export const ZNotificationIdInput = z.strictObject({ notificationId: z.uuid('Notification invalide') });
export type TNotificationIdInput = z.infer<typeof ZNotificationIdInput>;

export const ZSetNotificationPreferenceInput = z.strictObject({
  type: z.enum(Object.keys(NOTIFICATION_TYPES) as [NotificationType, ...NotificationType[]], 'Type inconnu'),
  inApp: z.boolean(),
});
export type TSetNotificationPreferenceInput = z.infer<typeof ZSetNotificationPreferenceInput>;

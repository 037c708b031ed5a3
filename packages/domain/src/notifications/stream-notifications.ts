import { withTenant, type Db } from '@crm/db';
import type { Clock } from '../shared/clock.ts';
import type { Actor } from '../shared/context.ts';
import { notificationsAfter, type NotificationView } from './notifications.ts';

/** Calls back when a notification for `userId` may have arrived; returns the unsubscribe. */
export type NotificationSignal = (userId: string, callback: () => void) => () => void;

/**
 * The user's notifications as they arrive, in order, from just after `after` (the last one the
 * client saw, so a reconnect neither loses nor repeats one) or from now. Each look is a short
 * transaction of its own; between looks it sleeps until signalled, or 25 s at most.
 */
export async function* streamNotifications(
  deps: { db: Db; actor: Actor; signal: NotificationSignal; clock: Clock },
  input: { after?: string | null | undefined },
  abort: AbortSignal,
): AsyncGenerator<NotificationView> {
  const { db, actor } = deps;
  const look = (cursor: string | null) =>
    withTenant(db, actor.tenantId, (tx) => notificationsAfter({ tx, actor, now: deps.clock() }, cursor), { userId: actor.userId });

  let cursor = input.after ?? null;
  if (!cursor) {
    const latest = await withTenant(db, actor.tenantId, (tx) =>
      tx.notification.findFirst({ where: { tenantId: actor.tenantId, userId: actor.userId }, orderBy: { id: 'desc' }, select: { id: true } }),
    );
    cursor = latest?.id ?? null;
  }

  let dirty = false;
  let wake: (() => void) | null = null;
  const unsubscribe = deps.signal(actor.userId, () => {
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  abort.addEventListener('abort', onAbort);
  try {
    while (!abort.aborted) {
      const items = await look(cursor);
      for (const item of items) {
        cursor = item.id;
        yield item;
      }
      if (items.length > 0) continue;
      if (dirty) {
        dirty = false; // a signal came while looking: look once more before sleeping
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 25_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
    abort.removeEventListener('abort', onAbort);
  }
}

import { withTenant, type Db, type Prisma } from '@crm/db';
import type { EventEnvelope } from './catalogue.ts';
import type { BoundEventHandler } from './handler-deps.ts';

export type HandleOutcome = 'handled' | 'duplicate' | 'ignored';

/**
 * Runs `handler` for `event` at most once: its effects and the record "consumer X processed
 * event Y" commit in one transaction, under the event's tenant. A redelivery finds the record
 * and changes nothing; a failure rolls both back, so the event can be tried again.
 */
export async function handleEventOnce(db: Db, handler: BoundEventHandler, event: EventEnvelope): Promise<HandleOutcome> {
  if (!handler.types.includes(event.type)) return 'ignored';
  return withTenant(db, event.tenantId, async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO processed_events (tenant_id, consumer, event_id)
      VALUES (${event.tenantId}::uuid, ${handler.consumer}, ${event.id}::uuid)
      ON CONFLICT DO NOTHING`;
    if (claimed === 0) return 'duplicate';
    await handler.handle(tx, event);
    return 'handled';
  });
}

/** Parks an event its consumer gave up on, with the error, for an operator to replay. */
export async function deadLetterEvent(
  db: Db,
  handler: BoundEventHandler,
  event: EventEnvelope,
  error: unknown,
  attempts: number,
  now: Date,
): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await withTenant(db, event.tenantId, (tx) =>
    tx.deadLetter.upsert({
      where: { tenantId_consumer_eventId: { tenantId: event.tenantId, consumer: handler.consumer, eventId: event.id } },
      create: {
        tenantId: event.tenantId,
        consumer: handler.consumer,
        eventId: event.id,
        eventType: event.type,
        envelope: event as unknown as Prisma.InputJsonValue,
        error: message.slice(0, 4000),
        attempts,
      },
      update: { error: message.slice(0, 4000), attempts, failedAt: now, replayedAt: null },
    }),
  );
}

/** Growing delays between attempts: 1 s, 2 s, 4 s... capped at 5 minutes. */
export function retryDelayMs(attempt: number, baseMs = 1_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000);
}

/**
 * The same for several events of one tenant in one transaction: one claim statement for all,
 * the handler for each newly claimed one, in order. If anything fails, nothing of the batch is
 * kept, and the caller falls back to one event at a time (exact retry and dead-letter counts).
 */
export async function handleEventsOnce(db: Db, handler: BoundEventHandler, tenantId: string, events: EventEnvelope[]): Promise<number> {
  const relevant = events.filter((event) => event.tenantId === tenantId && handler.types.includes(event.type));
  if (relevant.length === 0) return 0;
  return withTenant(db, tenantId, async (tx) => {
    const claimed = await tx.$queryRaw<{ event_id: string }[]>`
      INSERT INTO processed_events (tenant_id, consumer, event_id)
      SELECT ${tenantId}::uuid, ${handler.consumer}, unnest(${relevant.map((e) => e.id)}::uuid[])
      ON CONFLICT DO NOTHING
      RETURNING event_id`;
    const fresh = new Set(claimed.map((row) => row.event_id));
    const toHandle = relevant.filter((event) => fresh.has(event.id));
    if (handler.handleMany && toHandle.length > 0) await handler.handleMany(tx, toHandle);
    else for (const event of toHandle) await handler.handle(tx, event);
    return fresh.size;
  });
}

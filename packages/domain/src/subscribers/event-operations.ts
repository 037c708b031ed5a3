import { z } from 'zod';
import type { DocumentServices } from '../documents/document-storage.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { EventEnvelope } from '../events/catalogue.ts';
import { EVENT_HANDLERS, handlerOf } from './event-handlers.ts';
import { handlerDepsFactory, NO_DOCUMENT_STORAGE } from '../events/handler-deps.ts';

// What the operations page shows of the tenant's events: recent ones and who handled them,
// each consumer's lag, dead letters, and their replay.

export async function listRecentEvents({ tx, actor }: TenantDeps) {
  const events = await tx.outboxEvent.findMany({ where: { tenantId: actor.tenantId }, orderBy: { id: 'desc' }, take: 50 });
  const processed = await tx.processedEvent.findMany({
    where: { tenantId: actor.tenantId, eventId: { in: events.map((e) => e.id) } },
    select: { eventId: true, consumer: true },
  });
  return events.map((e) => ({
    id: e.id,
    type: e.type,
    occurredAt: e.occurredAt.toISOString(),
    publishedAt: e.publishedAt?.toISOString() ?? null,
    handledBy: processed.filter((p) => p.eventId === e.id).map((p) => p.consumer),
    expectedBy: EVENT_HANDLERS.filter((h) => h.types.includes(e.type as EventEnvelope['type'])).map((h) => h.consumer),
  }));
}

/** Per consumer group: events of its types not handled yet (and not dead-lettered), dead letters. */
export async function getConsumerLag({ tx, actor }: TenantDeps) {
  return Promise.all(
    EVENT_HANDLERS.map(async (handler) => {
      const [pending] = await tx.$queryRaw<{ count: number; oldest: Date | null }[]>`
        SELECT count(*)::int AS count, min(o.occurred_at) AS oldest
        FROM outbox_events o
        WHERE o.tenant_id = ${actor.tenantId}::uuid
          AND o.type = ANY(${[...handler.types]}::text[])
          AND NOT EXISTS (SELECT 1 FROM processed_events p
                          WHERE p.tenant_id = o.tenant_id AND p.consumer = ${handler.consumer} AND p.event_id = o.id)
          AND NOT EXISTS (SELECT 1 FROM dead_letters d
                          WHERE d.tenant_id = o.tenant_id AND d.consumer = ${handler.consumer} AND d.event_id = o.id AND d.replayed_at IS NULL)`;
      const deadLetters = await tx.deadLetter.count({ where: { tenantId: actor.tenantId, consumer: handler.consumer, replayedAt: null } });
      return {
        consumer: handler.consumer,
        types: handler.types,
        pending: pending?.count ?? 0,
        oldestPendingAt: pending?.oldest?.toISOString() ?? null,
        deadLetters,
      };
    }),
  );
}

export async function listDeadLetters({ tx, actor }: TenantDeps) {
  const rows = await tx.deadLetter.findMany({ where: { tenantId: actor.tenantId }, orderBy: { failedAt: 'desc' }, take: 100 });
  return rows.map((d) => ({
    id: d.id,
    consumer: d.consumer,
    eventId: d.eventId,
    eventType: d.eventType,
    error: d.error,
    attempts: d.attempts,
    failedAt: d.failedAt.toISOString(),
    replayedAt: d.replayedAt?.toISOString() ?? null,
  }));
}

export const ZReplayDeadLetterInput = z.strictObject({ deadLetterId: z.uuid('Identifiant invalide') });
export type TReplayDeadLetterInput = z.infer<typeof ZReplayDeadLetterInput>;

/**
 * Runs the consumer's handler again for a dead-lettered event, in this transaction: the
 * effects, the "processed" record and the replay mark commit together, or nothing does.
 */
export async function replayDeadLetter({ tx, actor, now, documents }: TenantDeps & { documents?: DocumentServices }, input: TReplayDeadLetterInput) {
  const letter = await tx.deadLetter.findFirst({ where: { id: input.deadLetterId, tenantId: actor.tenantId } });
  if (!letter) throw notFound('Événement en échec');
  if (letter.replayedAt) throw conflict('Cet événement a déjà été rejoué');
  const handler = handlerOf(letter.consumer);
  if (!handler) throw conflict(`Consommateur inconnu : ${letter.consumer}`);
  const claimed = await tx.$executeRaw`
    INSERT INTO processed_events (tenant_id, consumer, event_id)
    VALUES (${actor.tenantId}::uuid, ${letter.consumer}, ${letter.eventId}::uuid)
    ON CONFLICT DO NOTHING`;
  if (claimed === 1) {
    // The handler acts as the system for the tenant, as in the worker, at the replay's time.
    const depsFor = handlerDepsFactory({ storage: documents?.storage ?? NO_DOCUMENT_STORAGE, clock: () => now });
    await handler.handle(tx, letter.envelope as unknown as EventEnvelope, await depsFor(tx, actor.tenantId, letter.consumer));
  }
  await tx.deadLetter.update({ where: { id: letter.id }, data: { replayedAt: now } });
  return { id: letter.id, replayedAt: now.toISOString(), alreadyHandled: claimed === 0 };
}

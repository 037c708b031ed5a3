import { isDatabaseUnavailable, type Db } from '@crm/db';
import {
  deadLetterEvent,
  handleEventOnce,
  PermanentEventError,
  retryDelayMs,
  ZEventEnvelope,
  type EventEnvelope,
  type BoundEventHandler as EventHandler,
} from '@crm/domain';
import type { Logger } from 'pino';

export interface DeliveryPolicy {
  /** Attempts before an event goes to the dead letters (transient handler errors). */
  maxAttempts: number;
  retryBaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 5, retryBaseMs: 1_000 };

/** What the transport does with the message afterwards: the same for JetStream and in process. */
export type Settlement = { action: 'ack' } | { action: 'retry'; delayMs: number } | { action: 'drop' };

/**
 * One delivery of one event to one consumer group. The transport-independent heart of the
 * worker: handled (or already handled) -> ack; handler failed -> retry after a growing delay,
 * or dead-letter after `maxAttempts` (at once for a PermanentEventError) then drop; database
 * unreachable -> retry without counting it against the event: nothing is acked unhandled.
 */
export async function deliver(
  db: Db,
  handler: EventHandler,
  raw: unknown,
  attempt: number,
  policy: DeliveryPolicy,
  log: Logger,
): Promise<Settlement> {
  const parsed = ZEventEnvelope.safeParse(raw);
  if (!parsed.success) {
    // Where the envelope is wrong, not what it holds.
    const issues = parsed.error.issues.map((issue) => ({ code: issue.code, path: issue.path.map(String).join('.') }));
    log.error({ consumer: handler.consumer, issues }, 'undecodable event dropped');
    return { action: 'drop' };
  }
  const event = parsed.data as EventEnvelope;
  const bindings = { consumer: handler.consumer, eventId: event.id, eventType: event.type, tenantId: event.tenantId, attempt };
  try {
    const outcome = await handleEventOnce(db, handler, event);
    if (outcome !== 'ignored') log.debug({ ...bindings, outcome }, 'event handled');
    return { action: 'ack' };
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      log.warn({ ...bindings, err: error }, 'database unavailable, will retry');
      return { action: 'retry', delayMs: Math.min(retryDelayMs(attempt, policy.retryBaseMs), 5_000) };
    }
    const permanent = error instanceof PermanentEventError;
    if (!permanent && attempt < policy.maxAttempts) {
      const delayMs = retryDelayMs(attempt, policy.retryBaseMs);
      log.warn({ ...bindings, err: error, delayMs }, 'handler failed, will retry');
      return { action: 'retry', delayMs };
    }
    try {
      await deadLetterEvent(db, handler, event, error, attempt, new Date());
    } catch (parkError) {
      log.error({ ...bindings, err: parkError }, 'could not dead-letter, will retry');
      return { action: 'retry', delayMs: retryDelayMs(attempt, policy.retryBaseMs) };
    }
    log.error({ ...bindings, err: error, permanent }, 'event dead-lettered');
    return { action: 'drop' };
  }
}

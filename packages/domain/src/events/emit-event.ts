import { activeTraceParent, newId, type Tx } from '@crm/db';
import { EVENT_CATALOGUE, type EventEnvelope, type EventPayload, type EventType } from './catalogue.ts';

export interface NewEvent<T extends EventType> {
  type: T;
  tenantId: string;
  payload: EventPayload<T>;
  occurredAt?: Date;
}

/**
 * Writes an event to the outbox inside the caller's transaction, so the event exists if and
 * only if the change it announces was committed. Row-level security refuses a tenantId other
 * than the transaction's own. `client_id` copies the payload's `clientId` (the client's
 * timeline and GDPR export read it). `trace_parent` keeps the active span's W3C traceparent
 * (tracing on only), so the relay and the consumers continue the writer's trace.
 */
export async function emitEvent<T extends EventType>(tx: Tx, event: NewEvent<T>): Promise<EventEnvelope<T>> {
  const payload = EVENT_CATALOGUE[event.type].parse(event.payload) as EventPayload<T>;
  const occurredAt = event.occurredAt ?? new Date();
  const id = newId(occurredAt.getTime());
  // Events about a client name it at the top of their payload; the column indexes it.
  const clientId = (payload as { clientId?: unknown }).clientId;
  const traceParent = activeTraceParent();
  await tx.outboxEvent.create({
    data: {
      id,
      tenantId: event.tenantId,
      clientId: typeof clientId === 'string' ? clientId : null,
      type: event.type,
      payload,
      occurredAt,
      traceParent,
    },
  });
  return { id, type: event.type, tenantId: event.tenantId, occurredAt: occurredAt.toISOString(), payload, ...(traceParent ? { traceParent } : {}) };
}

/**
 * Several events in one statement (a consumer deciding for a batch of events, an import): the
 * same rows `emitEvent` writes, one INSERT for all. Their ids follow the given order.
 */
export async function emitEvents(tx: Tx, events: NewEvent<EventType>[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const traceParent = activeTraceParent();
  await tx.outboxEvent.createMany({
    data: events.map((event) => {
      const payload = EVENT_CATALOGUE[event.type].parse(event.payload) as EventPayload<EventType>;
      const occurredAt = event.occurredAt ?? now;
      const clientId = (payload as { clientId?: unknown }).clientId;
      return {
        id: newId(occurredAt.getTime()),
        tenantId: event.tenantId,
        clientId: typeof clientId === 'string' ? clientId : null,
        type: event.type,
        payload,
        occurredAt,
        traceParent,
      };
    }),
  });
}

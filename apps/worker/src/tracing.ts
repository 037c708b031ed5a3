import { activeTraceParent, inSpan, traceContextFrom } from '@crm/db';
import type { BoundEventHandler, EventEnvelope } from '@crm/domain';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { EventSink } from './event-bus/relay.ts';

/**
 * The worker's spans, when tracing is on (OTEL_*, see @crm/db/tracing): the relay's publish
 * of each event (a producer span, child of the trace stored with it in the outbox), each
 * handler's run of each event (a consumer span, child of that publish: the chain from the web
 * request reaches the handler whatever the transport, JetStream batch or in process), and a
 * root span per client import and housekeeping pass. Attributes: ids and names only, never a
 * payload.
 */

const eventAttributes = (event: EventEnvelope) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': `crm.events.${event.type}`,
  'messaging.message.id': event.id,
  'crm.event.type': event.type,
  'crm.tenant.id': event.tenantId,
});

/**
 * The sink, with a producer span per event around its publish; each event goes out with that
 * span's traceparent (`traceParent` in the envelope), so its consumers become its children.
 */
export function tracedSink(sink: EventSink, tracer: Tracer): EventSink {
  return {
    async publish(events) {
      const spans: Span[] = [];
      const traced = events.map((event) => {
        const span = tracer.startSpan(
          `publish ${event.type}`,
          { kind: SpanKind.PRODUCER, attributes: { ...eventAttributes(event), 'messaging.operation.type': 'send' } },
          traceContextFrom(event.traceParent),
        );
        spans.push(span);
        const traceParent = activeTraceParent(trace.setSpan(ROOT_CONTEXT, span));
        return traceParent ? { ...event, traceParent } : event;
      });
      try {
        await sink.publish(traced);
      } catch (error) {
        for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: 'publish failed' });
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
    },
  };
}

/**
 * The handler, each run of it in a consumer span, child of the event's `traceParent`. It wraps
 * `handle` only: the processed-event claim around it (and a JetStream batch's single
 * transaction for several events) is not the handler's time, and a duplicate opens no span.
 */
export function tracedHandler(handler: BoundEventHandler, tracer: Tracer): BoundEventHandler {
  return {
    ...handler,
    handle: (...args: Parameters<BoundEventHandler['handle']>) => {
      const event = args[1];
      return inSpan(
        tracer,
        `${handler.consumer} ${event.type}`,
        { kind: SpanKind.CONSUMER, attributes: { ...eventAttributes(event), 'messaging.operation.type': 'process', 'messaging.consumer.group.name': handler.consumer } },
        traceContextFrom(event.traceParent),
        () => handler.handle(...args),
      );
    },
  };
}

/** A background job's run (client import, housekeeping) as the root of its own trace; without a tracer, just the run. */
export function rootSpan<T>(tracer: Tracer | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  return inSpan(tracer, name, { kind: SpanKind.INTERNAL, root: true }, context.active(), () => work());
}

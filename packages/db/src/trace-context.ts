import { context, propagation, ROOT_CONTEXT, SpanStatusCode, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { errorForLog, errorSummary } from './log-safety.ts';

/**
 * How a trace crosses the outbox: the writer stores the active span's W3C `traceparent`
 * with the event (outbox_events.trace_parent), the relay and the consumers continue from it.
 * Without a registered tracer provider (tracing off, see tracing.ts) there is no active span
 * and the propagator is a no-op: nothing is stored.
 */
export function activeTraceParent(from: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored `traceparent` names (a remote parent), or the root context when there is none. */
export function traceContextFrom(traceParent: string | null | undefined): Context {
  return traceParent ? propagation.extract(ROOT_CONTEXT, { traceparent: traceParent }) : ROOT_CONTEXT;
}

/**
 * Marks a span failed with what the logs may say of the error (log-safety.ts): its class and
 * codes, never its message, which may quote data. No exception event (it would carry the message).
 */
export function recordSpanError(span: Span, error: unknown): void {
  span.setAttribute('error.type', errorForLog(error).type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorSummary(error) });
}

/** `work` in an active span, child of `parent`; the span ends when it settles, failed if it throws. */
export function inSpan<T>(tracer: Tracer, name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

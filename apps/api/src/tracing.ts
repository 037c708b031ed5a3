import { recordSpanError } from '@crm/db';
import type { CrmServices } from '@crm/trpc';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';
import { loggedUrl } from './log-url.ts';

/**
 * The API's spans, when tracing is on (OTEL_*, @crm/db/tracing): a server span per HTTP request,
 * continuing the caller's trace when it sends a W3C `traceparent`, and inside it a span per tRPC
 * procedure call, the parent of whatever the call writes to the outbox (emit-event.ts stores its
 * traceparent with each event). What a span holds: the method, the route's pattern, the URL's
 * path as the request log writes it (log-url.ts: no query string, secrets redacted), the status,
 * the procedure's path and the caller's tenant id; never an input, a header or an error message.
 */
/** Probes and scrapes, every few seconds from the orchestrator and Prometheus: no trace of their own. */
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

export function httpSpans(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED.has(req.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(req.method, {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: loggedUrl(req.originalUrl) },
    }, parent);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      // The matched route's pattern (`/documents/:id/download`), or the mount of procedure calls; nothing for the rest.
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? pattern : req.baseUrl === '/trpc' ? '/trpc' : undefined;
      if (route) {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${req.method} ${route}`);
      }
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('http.response.aborted', true);
      span.end();
    };
    res.once('finish', end).once('close', end);
    const active = trace.setSpan(parent, span);
    // Body and stream events are emitted from the socket's context: bound, they run in the request's.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

/** `CrmServices.traceProcedure`: each call in a span named by its path, child of the request's. */
export function procedureSpans(tracer: Tracer): NonNullable<CrmServices['traceProcedure']> {
  return (call, run) =>
    tracer.startActiveSpan(
      call.path,
      { kind: SpanKind.INTERNAL, attributes: { 'rpc.system': 'trpc', 'rpc.method': call.path, 'crm.procedure.type': call.type, ...(call.tenantId ? { 'crm.tenant.id': call.tenantId } : {}) } },
      async (span) => {
        try {
          return await run((answer) => {
            span.setAttribute('crm.procedure.code', answer.code);
            if (answer.code === 'OK') return;
            span.setAttribute('error.type', answer.code);
            // A refused input or a missing right is the caller's error, not the server's: only 5xx fail the span.
            if (answer.httpStatus >= 500) recordSpanError(span, answer.error);
          });
        } finally {
          span.end();
        }
      },
    );
}

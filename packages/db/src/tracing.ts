import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces for one process (the API, the worker), exported by OTLP/HTTP (JSON)
 * when configured, and nothing at all otherwise: without `startTracing`, the @opentelemetry/api
 * calls made elsewhere (outbox trace context, spans) go to its no-op implementation.
 * Each app reads the standard OTEL_* variables in its env.ts and passes them here.
 */
export interface TracingEnv {
  /** The service's name (defaulted by the app: crm-api, crm-worker). */
  OTEL_SERVICE_NAME: string;
  /** `otlp` turns tracing on (default endpoint http://localhost:4318), `none` off. */
  OTEL_TRACES_EXPORTER?: 'otlp' | 'none' | undefined;
  /** The collector's base URL (`/v1/traces` is appended); setting it turns tracing on. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  /** The full traces URL, used as is; setting it turns tracing on. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  /** `key=value,key2=value2` (a vendor's API key), sent with every export, never logged. */
  OTEL_EXPORTER_OTLP_HEADERS?: string | undefined;
  /** `true`: off whatever else is set. */
  OTEL_SDK_DISABLED?: 'true' | 'false' | undefined;
}

export interface TracingConfig {
  serviceName: string;
  /** Where spans are POSTed (OTLP/HTTP JSON). */
  url: string;
  headers: Record<string, string>;
}

/** What tracing the variables (as the app's env.ts validated them) ask for, or null: off unless an endpoint or OTEL_TRACES_EXPORTER=otlp is set. */
export function tracingConfig(env: TracingEnv): TracingConfig | null {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.OTEL_TRACES_EXPORTER !== 'otlp' && !base && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${(base ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`;
  return { serviceName: env.OTEL_SERVICE_NAME, url, headers: parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) };
}

/** `a=1,b=2` as OTEL_EXPORTER_OTLP_HEADERS writes it (values percent-encoded). */
export function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const index = pair.indexOf('=');
    if (index <= 0) continue;
    const value = pair.slice(index + 1).trim();
    try {
      headers[pair.slice(0, index).trim()] = decodeURIComponent(value);
    } catch {
      headers[pair.slice(0, index).trim()] = value;
    }
  }
  return headers;
}

export interface Tracing {
  /** The tracer the app's own spans come from (HTTP requests, procedures, relay, handlers). */
  tracer: Tracer;
  /** Exports what is buffered and stops: on graceful shutdown, before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider (AsyncLocalStorage context, W3C `traceparent`
 * propagation) with a batching OTLP exporter, or does nothing and returns null when `config`
 * is null. `warn` hears the SDK's own warnings (a collector that cannot be reached).
 */
export function startTracing(config: TracingConfig | null, warn?: (message: string) => void): Tracing | null {
  if (!config) return null;
  if (warn) {
    const log = (message: string) => warn(`opentelemetry: ${message}`);
    diag.setLogger({ error: log, warn: log, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  }
  const exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return { tracer: provider.getTracer('crm'), shutdown: () => provider.shutdown() };
}

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { safeLogger } from '@crm/db';
import { appRouter, assertBatchAllowed, createContext, MAX_BATCH_SIZE, type CrmServices, type RequestInfo } from '@crm/trpc';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Tracer } from '@opentelemetry/api';
import { calendarFeedRoute } from './calendar-feed.ts';
import { contractPdfRoute } from './contract-pdfs.ts';
import { documentDownload, documentUpload } from './documents.ts';
import { clientsCsvExport } from './exports.ts';
import { clientImportUpload } from './imports.ts';
import { mountMailevaRoutes, type MailevaRoutesOptions } from './maileva-routes.ts';
import { bankReturnsUpload, batchFileRoute } from './payments-files.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type MetricsOptions } from './metrics.ts';
import { requestLog } from './request-log.ts';
import { httpSpans, procedureSpans } from './tracing.ts';
import type { TrustProxy } from './trust-proxy.ts';
import { serveWebApp } from './web-app.ts';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface AppOptions {
  services: CrmServices;
  log: Logger;
  readiness: ReadinessCheck[];
  webOrigin: string;
  /** Secure cookies need HTTPS; off only for http://localhost. */
  secureCookies: boolean;
  /** The built web app to serve from the same origin (embedded mode, single-host deploys). */
  webDist?: string | undefined;
  /** Express's `trust proxy`: which X-Forwarded-For hops to believe for the client IP (trust-proxy.ts). */
  trustProxy?: TrustProxy;
  maxBodyBytes?: number;
  /** `GET /metrics` (metrics.ts): its bearer token, and whether it is open without one; absent: a 404. */
  metrics?: Pick<MetricsOptions, 'token' | 'openWithoutToken'>;
  /** With tracing on (main.ts, OTEL_*): a span per request and per procedure call (tracing.ts); absent, none. */
  tracer?: Tracer | undefined;
  /** Maileva's webhook (and the local fake in the embedded default); absent: no route. */
  maileva?: MailevaRoutesOptions | undefined;
}

export const REFRESH_COOKIE = 'crm_refresh';
const REQUEST_ID = /^[\w.-]{1,64}$/;

export function createApp(options: AppOptions): express.Express {
  // Whatever logger it is given, errors reach its lines without their messages or data (@crm/db log-safety.ts).
  const log = safeLogger(options.log);
  const metrics = createMetrics({ db: options.services.db, log, ...(options.metrics ?? { openWithoutToken: false }) });
  const services = { ...options.services, observeProcedure: metrics.observeProcedure, ...(options.tracer ? { traceProcedure: procedureSpans(options.tracer) } : {}) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);

  if (options.tracer) app.use(httpSpans(options.tracer));

  app.use((req, res, next) => {
    const incoming = req.header('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.locals.logBindings = {} as Record<string, string>;
    res.setHeader('x-request-id', id);
    next();
  });
  app.use(requestLog(log));
  app.use(metrics.httpTimer);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'connect-src': ["'self'", options.webOrigin] },
      },
    }),
  );
  // Only the web app's origin gets CORS headers; any other origin gets none (and the browser refuses).
  app.use(cors({ origin: (origin, done) => done(null, origin === options.webOrigin), credentials: true, maxAge: 600 }));

  app.get('/metrics', metrics.endpoint);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(
      options.readiness.map(async (readiness) => {
        const { name } = readiness;
        try {
          await withTimeout(readiness.check(), 2_000);
          return [name, 'ok'] as const;
        } catch (error) {
          log.warn({ err: error, check: name }, 'readiness check failed');
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ready = checks.every(([, status]) => status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(checks) });
  });

  // Procedure calls are JSON as sent: a body in a content coding the adapter would not undo is refused, not misread.
  app.use('/trpc', (req, res, next) => {
    const coding = req.header('content-encoding')?.trim().toLowerCase();
    if (!coding || coding === 'identity') return next();
    const message = 'Encodage de contenu non pris en charge';
    res.status(415).json({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message, fieldErrors: { '': [message] } } });
  });
  // First: nearly every request is a procedure call.
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: options.maxBodyBytes ?? 1_000_000,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, res, info }) => {
        assertBatchAllowed(info); // public procedures (password hashes, sessions) never in a batch
        return createContext(services, requestInfo(req, res, options));
      },
      // A refused stream answers its status (401/403), not tRPC's 200 with an error event: EventSource stops, nothing streams.
      responseMeta: ({ ctx }) => (ctx?.request.streamRefusal ? { status: ctx.request.streamRefusal.httpStatus } : {}),
      // The procedure, the request id and the error's class and codes; never the input or the error's message (log-safety.ts).
      onError: ({ error, path: procedure, ctx }) => {
        if (error.code !== 'INTERNAL_SERVER_ERROR') return;
        log.error({ requestId: ctx?.request.requestId, procedure, code: error.code, err: error.cause ?? error }, 'procedure failed');
      },
    }),
  );

  app.get('/exports/clients.csv', clientsCsvExport(options.services, log));
  app.post('/imports/clients', clientImportUpload(options.services, log));
  app.get('/batches/:id/file', batchFileRoute(options.services, log));
  app.post('/bank-returns', bankReturnsUpload(options.services, log));
  app.get('/calendar/:file', calendarFeedRoute(options.services, log));
  app.post('/documents', documentUpload(options.services, log));
  app.get('/documents/:id/download', documentDownload(options.services, log));
  app.get('/contracts/:id/pdf', contractPdfRoute(options.services, log, 'contract'));
  app.get('/contracts/:id/mandate.pdf', contractPdfRoute(options.services, log, 'mandate'));
  if (options.maileva) mountMailevaRoutes(app, options.services, options.maileva, log);

  // The built web app: precompressed files by Accept-Encoding, and its shell for every page path (web-app.ts).
  if (options.webDist && existsSync(options.webDist)) app.use(serveWebApp(options.webDist));

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Route inconnue' } });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ requestId: res.locals.requestId as string, err: error }, 'unhandled error');
    const refused = { code: 'BAD_REQUEST', message: 'Requête invalide', fieldErrors: { '': ['Requête invalide'] } };
    res.status(status).json({ error: status === 500 ? { code: 'INTERNAL_SERVER_ERROR', message: 'Erreur interne' } : refused });
  };
  app.use(onError);
  return app;
}

function requestInfo(req: Request, res: Response, options: AppOptions): RequestInfo {
  const authorization = req.header('authorization');
  // An access token only ever comes in the header. EventSource (subscriptions over SSE) cannot
  // send one: a stream opens with a single-use ticket in its URL (`?ticket=`), never a token.
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  return {
    requestId: res.locals.requestId as string,
    client: { ip: req.ip, userAgent: req.header('user-agent') },
    bearer,
    streamTicket: queryParameter(req.originalUrl, 'ticket'),
    logBindings: res.locals.logBindings as Record<string, string>,
    cookies: {
      refreshToken: readCookie(req.header('cookie'), REFRESH_COOKIE),
      setRefreshToken: (token, expiresAt) => {
        res.cookie(REFRESH_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookies,
          path: '/trpc',
          expires: expiresAt,
        });
      },
      clearRefreshToken: () => {
        res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/trpc' });
      },
    },
  };
}

function queryParameter(url: string, name: string): string | undefined {
  const query = url.indexOf('?');
  return query === -1 ? undefined : (new URLSearchParams(url.slice(query + 1)).get(name) ?? undefined);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

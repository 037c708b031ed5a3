import type { RequestHandler, Response } from 'express';
import { loggedUrl } from './log-url.ts';
import type { Logger } from './logger.ts';

/**
 * One log line per finished request: id, method, path, status, duration, and the tenant and
 * user the procedures bound. The path goes through `loggedUrl` (log-url.ts), the one rule
 * that keeps secrets of every URL out of the log; the query string is never logged. Written
 * when the response finishes; nothing is built per request when the level is above `info`
 * (this sits on every request's path: no child logger, no serializers, unlike pino-http,
 * whose per-request cost showed in bench/clients.ts profiles).
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.url === '/health' || !log.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      // The shape pino-http wrote before, so log queries keep working.
      const line = {
        req: { id: res.locals.requestId as string, method: req.method, url: loggedUrl(req.originalUrl) },
        res: { statusCode: status },
        responseTime: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ...((res as Response).locals.logBindings as Record<string, string>),
      };
      if (status >= 500) log.error(line, 'request failed');
      else log.info(line, 'request completed');
    });
    next();
  };
}

import { safeLogger } from '@crm/db';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by path, whatever logs them; errors are written
 * without their messages or data (safeLogger, @crm/db log-safety.ts); URLs by one rule
 * (log-url.ts).
 */
export function createLogger(level: string, name = 'api'): Logger {
  return safeLogger(pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  }));
}

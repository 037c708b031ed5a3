import { createHash, timingSafeEqual } from 'node:crypto';
import { errorForLog } from '@crm/db';
import { DomainError, handleMailevaNotification, MailevaError, type MailevaClient, type MailevaFake } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from './logger.ts';

export interface MailevaRoutesOptions {
  maileva: MailevaClient;
  /** The callback's secret (MAILEVA_WEBHOOK_SECRET): in the URL, or as the Basic auth password; null: no webhook route. */
  webhookSecret: string | null;
  /** The local fake (MAILEVA_ENV=fake, never in production), served under /maileva-fake. */
  fake?: { fake: MailevaFake; baseUrl: string } | null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

function basicPassword(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/**
 * Maileva's notification center calls `POST /webhooks/maileva/<secret>` (or `/webhooks/maileva`
 * with Basic auth whose password is the secret): there is no signature upstream, so the secret is
 * the authentication (french-rules §5). The payload names a resource without its status: the
 * letter is read back from Maileva (`handleMailevaNotification`). Answers 201 (Maileva retries
 * anything else, up to 10 times over about 15 hours), 401 without the secret, 400 for a payload
 * that names no resource or one on another host, 503 when Maileva or the database cannot be
 * read (so the notification comes again). Idempotent: a repeat reads the same state.
 */
export function mountMailevaRoutes(app: Express, services: CrmServices, options: MailevaRoutesOptions, log: Logger): void {
  if (options.fake) {
    const serve = options.fake.fake.mount(options.fake.baseUrl);
    app.use('/maileva-fake', (req, res) => void serve(req, res, req.url));
  }
  const secret = options.webhookSecret;
  if (!secret) return;
  const storage = services.documents?.storage;
  const notify = async (req: Request, res: Response, given: string | null) => {
    if (given === null || !sameSecret(given, secret)) {
      res.setHeader('www-authenticate', 'Basic realm="maileva"');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    if (!storage) {
      res.status(503).json({ error: 'document storage not configured' });
      return;
    }
    try {
      await handleMailevaNotification({ db: services.db, maileva: options.maileva, storage, clock: services.clock }, req.body);
      res.status(201).json({});
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BAD_REQUEST') {
        res.status(400).json({ error: error.message, fieldErrors: error.fieldErrors ?? {} });
        return;
      }
      log.warn({ err: errorForLog(error), permanent: error instanceof MailevaError ? error.permanent : null }, 'maileva notification not handled, maileva will retry');
      res.status(503).json({ error: 'retry later' });
    }
  };
  const json = express.json({ limit: '64kb', type: () => true });
  app.post('/webhooks/maileva/:secret', json, (req, res) => void notify(req, res, typeof req.params.secret === 'string' ? req.params.secret : null));
  app.post('/webhooks/maileva', json, (req, res) => void notify(req, res, basicPassword(req)));
}

import { readCalendarFeed } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';

/**
 * GET /calendar/<tenant id>.<secret>.ics: a member's private iCalendar feed, for Google Calendar
 * or Outlook to subscribe to. Those clients send no token, so the URL is the credential: the
 * domain reads it under the token's tenant only, and anything unknown, revoked or malformed
 * is the same 404. The path is kept out of the request log (log-url.ts).
 */
export function calendarFeedRoute(services: CrmServices, log: Logger) {
  return async (req: Request<{ file: string }>, res: Response) => {
    const file = req.params.file;
    const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : null;
    try {
      const ics = token ? await readCalendarFeed({ db: services.db, clock: services.clock }, token) : null;
      if (ics === null) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Calendrier introuvable' } });
        return;
      }
      res.setHeader('content-type', 'text/calendar; charset=utf-8');
      res.setHeader('content-disposition', 'inline; filename="rendez-vous.ics"');
      // Private to the URL's holder; calendars poll, and the ETag Express adds makes unchanged polls cheap.
      res.setHeader('cache-control', 'private, no-cache');
      res.setHeader('x-robots-tag', 'noindex');
      res.send(ics);
    } catch (error) {
      log.error({ requestId: res.locals.requestId as string, route: 'calendar feed', err: error }, 'calendar feed failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Erreur interne' } });
    }
  };
}

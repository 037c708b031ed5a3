import { Readable } from 'node:stream';
import { withTenant } from '@crm/db';
import { exportClientsCsv, ZListClientsInput, type TenantDeps } from '@crm/domain';
import { resolveActorOnce, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, bearerClaims } from './raw-route.ts';

/**
 * GET /exports/clients.csv?search=&status=&tag=&city=&sort=: the filtered client list, streamed.
 * A file download rather than a procedure, with the same token and the same access check
 * (`clients.read`) as the procedures.
 */
export function clientsCsvExport(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req);
      const filters = ZListClientsInput.omit({ cursor: true, limit: true, direction: true }).safeParse(Object.fromEntries(
        Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
      ));
      if (!filters.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Filtres invalides' });
      const actor = await resolveActorOnce(services.db, claims, 'clients.read', res.locals.requestId as string);
      const page = <T>(fn: (deps: TenantDeps) => Promise<T>) =>
        withTenant(services.db, actor.tenantId, (tx) => fn({ tx, actor, now: services.clock() }), { userId: actor.userId });
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(services.clock());
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="clients-${day}.csv"`);
      res.setHeader('cache-control', 'no-store');
      Readable.from(exportClientsCsv(page, filters.data)).on('error', (error) => {
        log.error({ err: error }, 'client export failed');
        res.destroy(error);
      }).pipe(res);
    } catch (error) {
      answerError(res, log, error, 'client export');
    }
  };
}

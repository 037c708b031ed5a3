import { pipeline, Readable } from 'node:stream';
import { withTenant } from '@crm/db';
import { exportClientsCsv, parisDay, ZListClientsInput, type TenantDeps } from '@crm/domain';
import { resolveActorOnce, type CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, bearerClaims, HttpRefusal } from './raw-route.ts';

/**
 * GET /exports/clients.csv?search=&status=&tag=&city=&sort=: the filtered client list, streamed.
 * A file download rather than a procedure, with the same token and the same access check
 * (`clients.read`) as the procedures. The first page is read before the status is sent, so bad
 * filters and early failures get an honest error; a failure after that breaks the connection
 * (no final chunk), so the client sees a failed download, never a complete-looking short file.
 */
export function clientsCsvExport(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req);
      // Empty parameters are absent filters; a repeated one (an array) is refused like any wrong value.
      const filters = ZListClientsInput.omit({ cursor: true, limit: true, direction: true }).safeParse(
        Object.fromEntries(Object.entries(req.query).filter((entry) => entry[1] !== '')),
      );
      if (!filters.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of filters.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
        throw new HttpRefusal('BAD_REQUEST', 'Filtres invalides', fieldErrors);
      }
      const actor = await resolveActorOnce(services.db, claims, 'clients.read', res.locals.requestId as string);
      const page = <T>(fn: (deps: TenantDeps) => Promise<T>) =>
        withTenant(services.db, actor.tenantId, (tx) => fn({ tx, actor, now: services.clock() }), { userId: actor.userId });
      const chunks = exportClientsCsv(page, filters.data);
      const first = await chunks.next();
      const day = parisDay(services.clock());
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="clients-${day}.csv"`);
      res.setHeader('cache-control', 'no-store');
      async function* all() {
        if (!first.done) yield first.value;
        yield* chunks;
      }
      // pipeline destroys the response (and its socket) when a later page fails.
      pipeline(Readable.from(all()), res, (error) => {
        if (error && (error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.error({ requestId: res.locals.requestId as string, route: 'client export', err: error }, 'client export failed');
      });
    } catch (error) {
      answerError(res, log, error, 'client export');
    }
  };
}

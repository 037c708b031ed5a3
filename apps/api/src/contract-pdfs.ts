import { isUuid, withTenant } from '@crm/db';
import { contractPdf, DomainError, mandatePdf, verifyAccessToken, type TContractIdInput, type TenantDeps } from '@crm/domain';
import { resolveActor, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409 };
const RENDER = { contract: contractPdf, mandate: mandatePdf } as const;

/**
 * GET /contracts/:id/pdf and /contracts/:id/mandate.pdf: the contract (as signed, once signed) and
 * its SEPA mandate, generated from the contract's data. A file download rather than a procedure,
 * with the same token and access check (`contracts.read`) and the same tenant transaction, so
 * another tenant's id (or another rep's client's contract for a sales member) answers 404.
 */
export function contractPdfRoute(services: CrmServices, log: Logger, document: keyof typeof RENDER) {
  return async (req: Request, res: Response) => {
    try {
      const authorization = req.header('authorization');
      if (!authorization?.startsWith('Bearer ')) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentification requise' });
      const claims = await verifyAccessToken(services.auth, authorization.slice(7).trim(), services.clock()).catch(() => {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Jeton invalide' });
      });
      if (!claims.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
      const contractId = String(req.params.id);
      if (!isUuid(contractId)) throw new DomainError('NOT_FOUND', 'Contrat introuvable');
      const file = await withTenant(
        services.db,
        claims.tenantId,
        async (tx) => {
          const actor = await resolveActor(tx, claims, 'contracts.read', res.locals.requestId as string);
          const deps: TenantDeps = { tx, actor, now: services.clock() };
          return RENDER[document](deps, { contractId } satisfies TContractIdInput);
        },
        { userId: claims.userId },
      );
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('cache-control', 'no-store');
      res.end(Buffer.from(file.bytes));
    } catch (error) {
      const known = error instanceof TRPCError || error instanceof DomainError;
      const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
      if (!known) log.error({ err: error }, 'contract PDF failed');
      res.status(STATUS[code] ?? 500).json({ error: { code, message: known ? error.message : 'Erreur interne' } });
    }
  };
}

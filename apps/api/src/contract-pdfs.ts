import { isUuid } from '@crm/db';
import { contractPdf, DomainError, mandatePdf } from '@crm/domain';
import { documentDeps, type CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, bearerClaims } from './raw-route.ts';

const RENDER = { contract: contractPdf, mandate: mandatePdf } as const;

/**
 * GET /contracts/:id/pdf and /contracts/:id/mandate.pdf: the contract (once signed, the exact bytes
 * stored at signature) and its SEPA mandate, generated from the contract's data. A file download rather than a procedure,
 * with the same token and access check (`contracts.read`) and the same tenant transaction, so
 * another tenant's id (or another rep's client's contract for a sales member) answers 404.
 */
export function contractPdfRoute(services: CrmServices, log: Logger, document: keyof typeof RENDER) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req);
      const contractId = String(req.params.id);
      if (!isUuid(contractId)) throw new DomainError('NOT_FOUND', 'Contrat introuvable');
      // With the document storage: a signed contract is served from the bytes stored at signature.
      const file = await asMember(services, claims, res, 'contracts.read', (deps) => RENDER[document](documentDeps({ deps, services }), { contractId }));
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('cache-control', 'no-store');
      res.end(Buffer.from(file.bytes));
    } catch (error) {
      answerError(res, log, error, 'contract PDF');
    }
  };
}

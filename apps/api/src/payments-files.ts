import { isUuid } from '@crm/db';
import { DomainError, getBatchFile, importBankReturns, MAX_RETURN_FILE_BYTES } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, bearerClaims, readRawBody } from './raw-route.ts';

/**
 * GET /batches/:id/file: a SEPA batch's pain.008 file, the bytes kept when it was built (the same
 * every time). It holds the debtors' whole IBANs: members with payments.write only (those who send it to the
 * bank; a viewer sees the batch, masked, not the file). Another tenant's batch
 * answers 404 like a missing one.
 */
export function batchFileRoute(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const batchId = req.params.id;
      if (!isUuid(batchId)) throw new DomainError('NOT_FOUND', 'Lot introuvable');
      const file = await asMember(services, await bearerClaims(services, req), res, 'payments.write', (deps) => getBatchFile(deps, { batchId }));
      res.setHeader('content-type', 'application/xml; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('cache-control', 'no-store');
      res.status(200).send(file.xml);
    } catch (error) {
      answerError(res, log, error, 'batch file');
    }
  };
}

/**
 * POST /bank-returns?fileName=retours.xml with the file's raw bytes: imports a bank return file
 * (pain.002, camt.054 or CSV) and answers its report. Raw bytes rather than base64 in JSON: no
 * third more to send, and the size limit (413) applies before anything is read. The same file
 * again answers the first import's report. payments.write.
 */
export function bankReturnsUpload(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req); // before reading a byte of the body
      const content = await readRawBody(req, res, MAX_RETURN_FILE_BYTES);
      const fileName = typeof req.query.fileName === 'string' && req.query.fileName !== '' ? req.query.fileName : 'retours';
      const report = await asMember(services, claims, res, 'payments.write', (deps) =>
        importBankReturns(deps, { fileName, bytes: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) }),
      );
      res.status(report.duplicate ? 200 : 201).json(report);
    } catch (error) {
      answerError(res, log, error, 'bank returns import');
    }
  };
}

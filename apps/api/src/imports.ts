import { MAX_IMPORT_BYTES, uploadClientImport } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, bearerClaims, readRawBody } from './raw-route.ts';

/**
 * POST /imports/clients?fileName=clients.csv with the file's raw bytes as the body: stores the
 * file and answers what the wizard shows next (encoding, separator, headers, suggested mapping,
 * preview). Raw bytes rather than JSON so the encoding is detected on what the user's
 * spreadsheet wrote. Same token and access check (`clients.import`) as the procedures; the
 * rest of the import goes through the `clientImports` procedures.
 */
export function clientImportUpload(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req);
      const content = await readRawBody(req, res, MAX_IMPORT_BYTES);
      const fileName = typeof req.query.fileName === 'string' ? req.query.fileName : 'import.csv';
      const result = await asMember(services, claims, res, 'clients.import', (deps) => uploadClientImport(deps, { fileName, content }));
      res.status(201).json(result);
    } catch (error) {
      answerError(res, log, error, 'client import upload');
    }
  };
}

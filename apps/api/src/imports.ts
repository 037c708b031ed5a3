import { MAX_IMPORT_BYTES, uploadClientImport } from '@crm/domain';
import type { CrmServices } from '@crm/trpc';
import express, { type Request, type Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, bearerClaims } from './raw-route.ts';

const TOO_LARGE = 'Fichier trop volumineux : 10 Mo au plus';

/**
 * POST /imports/clients?fileName=clients.csv with the file's raw bytes as the body: stores the
 * file and answers what the wizard shows next (encoding, separator, headers, suggested mapping,
 * preview). Raw bytes rather than JSON so the encoding is detected on what the user's
 * spreadsheet wrote. Same token and access check (`clients.import`) as the procedures; the
 * rest of the import goes through the `clientImports` procedures.
 */
export function clientImportUpload(services: CrmServices, log: Logger) {
  const readBody = express.raw({ type: () => true, limit: MAX_IMPORT_BYTES });
  return async (req: Request, res: Response) => {
    try {
      const claims = await bearerClaims(services, req);
      // Refused by Content-Length before a byte is read, or once the stream passes the limit.
      const tooLarge = await new Promise<boolean>((resolve, reject) => {
        readBody(req, res, (error?: Error & { type?: string }) => (error?.type === 'entity.too.large' ? resolve(true) : error ? reject(error) : resolve(false)));
      });
      if (tooLarge) {
        res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: TOO_LARGE, fieldErrors: { file: [TOO_LARGE] } } });
        return;
      }
      const body: unknown = req.body;
      const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const fileName = typeof req.query.fileName === 'string' ? req.query.fileName : 'import.csv';
      const result = await asMember(services, claims, res, 'clients.import', (deps) => uploadClientImport(deps, { fileName, content }));
      res.status(201).json(result);
    } catch (error) {
      answerError(res, log, error, 'client import upload');
    }
  };
}

import { withTenant } from '@crm/db';
import { DomainError, MAX_IMPORT_BYTES, uploadClientImport, verifyAccessToken } from '@crm/domain';
import { resolveActor, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import express, { type Request, type Response } from 'express';
import type { Logger } from './logger.ts';

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409 };
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
      const authorization = req.header('authorization');
      if (!authorization?.startsWith('Bearer ')) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentification requise' });
      const claims = await verifyAccessToken(services.auth, authorization.slice(7).trim(), services.clock()).catch(() => {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Jeton invalide' });
      });
      if (!claims.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
      const tenantId = claims.tenantId;
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
      const result = await withTenant(
        services.db,
        tenantId,
        async (tx) => {
          const actor = await resolveActor(tx, claims, 'clients.import', res.locals.requestId as string);
          return uploadClientImport({ tx, actor, now: services.clock() }, { fileName, content });
        },
        { userId: claims.userId },
      );
      res.status(201).json(result);
    } catch (error) {
      const known = error instanceof TRPCError || error instanceof DomainError;
      const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
      if (!known) log.error({ err: error }, 'client import upload failed');
      res.status(STATUS[code] ?? 500).json({
        error: {
          code,
          message: known ? error.message : 'Erreur interne',
          ...(error instanceof DomainError && error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        },
      });
    }
  };
}

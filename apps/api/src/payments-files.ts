import { isUuid, withTenant } from '@crm/db';
import { DomainError, getBatchFile, importBankReturns, MAX_RETURN_FILE_BYTES, verifyAccessToken, type TenantDeps } from '@crm/domain';
import type { Permission } from '@crm/domain';
import { resolveActor, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import express, { type Request, type Response } from 'express';
import type { Logger } from './logger.ts';

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409 };
const TOO_LARGE = 'Fichier trop volumineux : 10 Mo au plus';

/** The token's tenant, the member's permission re-read, and the use case, in one tenant transaction. */
async function asMember<T>(services: CrmServices, req: Request, res: Response, permission: Permission, fn: (deps: TenantDeps) => Promise<T>): Promise<T> {
  const authorization = req.header('authorization');
  if (!authorization?.startsWith('Bearer ')) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentification requise' });
  const claims = await verifyAccessToken(services.auth, authorization.slice(7).trim(), services.clock()).catch(() => {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Jeton invalide' });
  });
  if (!claims.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
  return withTenant(
    services.db,
    claims.tenantId,
    async (tx) => fn({ tx, actor: await resolveActor(tx, claims, permission, res.locals.requestId as string), now: services.clock() }),
    { userId: claims.userId },
  );
}

function answerError(res: Response, log: Logger, error: unknown, what: string) {
  const known = error instanceof TRPCError || error instanceof DomainError;
  const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
  if (!known) log.error({ err: error }, `${what} failed`);
  res.status(STATUS[code] ?? 500).json({
    error: {
      code,
      message: known ? error.message : 'Erreur interne',
      ...(error instanceof DomainError && error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    },
  });
}

/**
 * GET /batches/:id/file: a SEPA batch's pain.008 file, regenerated from the batch's frozen data
 * (the same bytes every time). Tenant members with payments.read only; another tenant's batch
 * answers 404 like a missing one.
 */
export function batchFileRoute(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const batchId = req.params.id;
      if (!isUuid(batchId)) throw new DomainError('NOT_FOUND', 'Lot introuvable');
      const file = await asMember(services, req, res, 'payments.read', (deps) => getBatchFile(deps, { batchId }));
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
  const readBody = express.raw({ type: () => true, limit: MAX_RETURN_FILE_BYTES });
  return async (req: Request, res: Response) => {
    try {
      const tooLarge = await new Promise<boolean>((resolve, reject) => {
        readBody(req, res, (error?: Error & { type?: string }) => (error?.type === 'entity.too.large' ? resolve(true) : error ? reject(error) : resolve(false)));
      });
      if (tooLarge) {
        res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: TOO_LARGE, fieldErrors: { file: [TOO_LARGE] } } });
        return;
      }
      const body: unknown = req.body;
      const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const fileName = typeof req.query.fileName === 'string' && req.query.fileName !== '' ? req.query.fileName : 'retours';
      const report = await asMember(services, req, res, 'payments.write', (deps) =>
        importBankReturns(deps, { fileName, bytes: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) }),
      );
      res.status(report.duplicate ? 200 : 201).json(report);
    } catch (error) {
      answerError(res, log, error, 'bank returns import');
    }
  };
}

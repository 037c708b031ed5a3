import { withTenant } from '@crm/db';
import {
  DocumentTooLargeError,
  DomainError,
  downloadDocument,
  readDocumentContent,
  uploadDocument,
  verifyAccessToken,
  ZDocumentIdInput,
  ZUploadDocumentInput,
  type AccessClaims,
  type DocumentServices,
} from '@crm/domain';
import { resolveActor, resolveActorOnce, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415 };

class HttpRefusal extends Error {
  readonly code: string;
  readonly fieldErrors: Record<string, string[]> | undefined;
  constructor(code: string, message: string, fieldErrors?: Record<string, string[]>) {
    super(message);
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

/** The bearer token's claims, exactly as the procedures and the CSV export read them. */
async function claimsOf(services: CrmServices, req: Request): Promise<AccessClaims> {
  const authorization = req.header('authorization');
  if (!authorization?.startsWith('Bearer ')) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentification requise' });
  const claims = await verifyAccessToken(services.auth, authorization.slice(7).trim(), services.clock()).catch(() => {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Jeton invalide' });
  });
  if (!claims.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
  return claims;
}

function documentServices(services: CrmServices): DocumentServices {
  if (!services.documents) throw new Error('document storage is not configured (CrmServices.documents)');
  return services.documents;
}

function answerError(res: Response, log: Logger, error: unknown, what: string) {
  const tooLarge = error instanceof DocumentTooLargeError;
  const known = error instanceof TRPCError || error instanceof DomainError || error instanceof HttpRefusal;
  const code = tooLarge ? 'PAYLOAD_TOO_LARGE' : known ? error.code : 'INTERNAL_SERVER_ERROR';
  if (!known) log.error({ err: error }, what);
  const fieldErrors = error instanceof DomainError || error instanceof HttpRefusal ? error.fieldErrors : undefined;
  if (tooLarge || code === 'UNSUPPORTED_MEDIA_TYPE') res.setHeader('connection', 'close'); // the rest of the body is not read
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(STATUS[code] ?? 500).json({ error: { code, message: known ? error.message : 'Erreur interne', ...(fieldErrors ? { fieldErrors } : {}) } });
}

const query = (req: Request, name: string) => (typeof req.query[name] === 'string' && req.query[name] !== '' ? req.query[name] : undefined);

/**
 * POST /documents?clientId=...|contractId=...&kind=... with the file's raw bytes as the body
 * (application/octet-stream) and its name URL-encoded in `x-file-name`. Same token and access
 * check (`documents.write`) as the procedures. The body is read, measured and hashed as it
 * arrives, before any transaction opens; then the domain checks the content and stores it.
 */
export function documentUpload(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await claimsOf(services, req);
      const documents = documentServices(services);
      const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/octet-stream') {
        throw new HttpRefusal('UNSUPPORTED_MEDIA_TYPE', 'Envoyez le fichier brut (Content-Type: application/octet-stream)');
      }
      let fileName: string | undefined;
      try {
        fileName = decodeURIComponent(req.header('x-file-name') ?? '');
      } catch {
        fileName = undefined;
      }
      const meta = ZUploadDocumentInput.safeParse({ clientId: query(req, 'clientId'), contractId: query(req, 'contractId'), kind: query(req, 'kind'), fileName });
      if (!meta.success) {
        const fieldErrors: Record<string, string[]> = {};
        for (const issue of meta.error.issues) (fieldErrors[issue.path.join('.') || 'file'] ??= []).push(issue.message);
        throw new HttpRefusal('BAD_REQUEST', 'Envoi invalide', fieldErrors);
      }
      // Who may upload, before a byte is read; checked again in the transaction that writes.
      await resolveActorOnce(services.db, claims, 'documents.write', res.locals.requestId as string);
      const declared = Number(req.header('content-length'));
      if (Number.isFinite(declared) && declared > documents.maxBytes) throw new DocumentTooLargeError(documents.maxBytes);
      const content = await readDocumentContent(req, documents.maxBytes);
      const document = await withTenant(
        services.db,
        claims.tenantId!,
        async (tx) => {
          const actor = await resolveActor(tx, claims, 'documents.write', res.locals.requestId as string);
          return uploadDocument({ tx, actor, now: services.clock(), documents }, { ...meta.data, content });
        },
        { userId: claims.userId },
      );
      res.status(201).json(document);
    } catch (error) {
      answerError(res, log, error, 'document upload failed');
    }
  };
}

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%;]/g, '_').trim() || 'document';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * GET /documents/:id/download: the bytes, as an attachment, typed with what was detected at
 * upload, never sniffed. Another tenant's document, or one of a client the member may not
 * see, is 404 like a document that does not exist.
 */
export function documentDownload(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    try {
      const claims = await claimsOf(services, req);
      const documents = documentServices(services);
      const input = ZDocumentIdInput.safeParse({ documentId: req.params.id });
      if (!input.success) throw new TRPCError({ code: 'NOT_FOUND', message: 'Document introuvable' });
      const file = await withTenant(
        services.db,
        claims.tenantId!,
        async (tx) => {
          const actor = await resolveActor(tx, claims, 'documents.read', res.locals.requestId as string);
          return downloadDocument({ tx, actor, now: services.clock(), documents }, input.data);
        },
        { userId: claims.userId },
      );
      res.setHeader('content-type', file.mimeType);
      res.setHeader('content-length', String(file.sizeBytes));
      res.setHeader('content-disposition', contentDisposition(file.fileName));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-security-policy', "default-src 'none'; sandbox");
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
      file.body.on('error', (error) => {
        log.error({ err: error }, 'document download failed');
        res.destroy(error);
      });
      file.body.pipe(res);
    } catch (error) {
      answerError(res, log, error, 'document download failed');
    }
  };
}

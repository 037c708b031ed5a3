import { pipeline } from 'node:stream';
import {
  FileTooLargeError,
  downloadDocument,
  readDocumentContent,
  uploadDocument,
  ZDocumentIdInput,
  ZUploadDocumentInput,
  type DocumentServices,
} from '@crm/domain';
import { resolveActorOnce, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, bearerClaims, HttpRefusal } from './raw-route.ts';

function documentServices(services: CrmServices): DocumentServices {
  if (!services.documents) throw new Error('document storage is not configured (CrmServices.documents)');
  return services.documents;
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
      const claims = await bearerClaims(services, req);
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
      if (Number.isFinite(declared) && declared > documents.maxBytes) throw new FileTooLargeError(documents.maxBytes);
      const content = await readDocumentContent(req, documents.maxBytes);
      const document = await asMember(services, claims, res, 'documents.write', (deps) =>
        uploadDocument({ ...deps, documents }, { ...meta.data, content }),
      );
      res.status(201).json(document);
    } catch (error) {
      answerError(res, log, error, 'document upload');
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
      const claims = await bearerClaims(services, req);
      const documents = documentServices(services);
      const input = ZDocumentIdInput.safeParse({ documentId: req.params.id });
      if (!input.success) throw new TRPCError({ code: 'NOT_FOUND', message: 'Document introuvable' });
      const file = await asMember(services, claims, res, 'documents.read', (deps) => downloadDocument({ ...deps, documents }, input.data));
      res.setHeader('content-type', file.mimeType);
      res.setHeader('content-length', String(file.sizeBytes));
      res.setHeader('content-disposition', contentDisposition(file.fileName));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-security-policy', "default-src 'none'; sandbox");
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
      // pipeline, not pipe: a download the client gives up on destroys the storage stream too. With
      // pipe() the abandoned S3 response stayed open and kept its socket out of the client's pool
      // (50 by default), so enough aborted downloads stalled every later storage call.
      pipeline(file.body, res, (error) => {
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') log.error({ requestId: res.locals.requestId as string, route: 'document download', err: error }, 'document download failed');
      });
    } catch (error) {
      answerError(res, log, error, 'document download');
    }
  };
}

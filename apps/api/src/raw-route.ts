import { classifyDbError, withMember } from '@crm/db';
import { DomainError, FileTooLargeError, verifyAccessToken, type AccessClaims, type Permission, type TenantDeps } from '@crm/domain';
import { actorFrom, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import express, { type Request, type Response } from 'express';
import type { Logger } from './logger.ts';

/**
 * What the routes beside /trpc share (file downloads and uploads: exports, imports, PDFs, batch
 * files, bank returns, documents): the same bearer-token check as the procedures, the same
 * tenant transaction with the membership re-read, and the same error answers.
 */

const HTTP_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
};

/** The verified claims of the request's bearer token, in an organisation; else UNAUTHORIZED / FORBIDDEN. */
export async function bearerClaims(services: CrmServices, req: Request): Promise<AccessClaims & { tenantId: string }> {
  const authorization = req.header('authorization');
  if (!authorization?.startsWith('Bearer ')) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentification requise' });
  const claims = await verifyAccessToken(services.auth, authorization.slice(7).trim(), services.clock()).catch(() => {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Jeton invalide' });
  });
  if (!claims.tenantId) throw new TRPCError({ code: 'FORBIDDEN', message: 'Aucune organisation active' });
  return claims as AccessClaims & { tenantId: string };
}

/** `fn` as the token's member holding `permission`, in one transaction under the tenant's RLS (like a procedure). */
export function asMember<T>(
  services: CrmServices,
  claims: AccessClaims & { tenantId: string },
  res: Response,
  permission: Permission,
  fn: (deps: TenantDeps) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return withMember(services.db, claims.tenantId, claims.userId, (tx, member) =>
    fn({ tx, actor: actorFrom(member, claims, permission, res.locals.requestId as string), now: services.clock() }),
    options,
  );
}

const rawParsers = new Map<number, ReturnType<typeof express.raw>>();

/**
 * The request's raw bytes, up to `limit`: refused by Content-Length before a byte is read, or
 * once the stream passes the limit (FileTooLargeError, answered 413 by `answerError`); a form
 * body (multipart, urlencoded) or an unsupported Content-Encoding is refused with 415.
 */
export async function readRawBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  refuseForms(req);
  let parse = rawParsers.get(limit);
  if (!parse) rawParsers.set(limit, (parse = express.raw({ type: () => true, limit })));
  const tooLarge = await new Promise<boolean>((resolve, reject) => {
    parse(req, res, (error?: BodyError) => (error?.type === 'entity.too.large' ? resolve(true) : error ? reject(bodyRefusal(error)) : resolve(false)));
  });
  if (tooLarge) throw new FileTooLargeError(limit);
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** The routes take the file's own bytes: a form would be read as the file, boundaries and all. */
function refuseForms(req: Request): void {
  const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('multipart/') || type === 'application/x-www-form-urlencoded') {
    throw new HttpRefusal('UNSUPPORTED_MEDIA_TYPE', 'Envoyez le fichier brut, pas un formulaire (multipart)', { file: ['Envoyez le fichier brut, pas un formulaire'] });
  }
}

/**
 * For a body streamed as it comes (not through `readRawBody`): a form, or any content coding, is
 * refused with 415 before a byte is read; the stream is then the file's own bytes.
 */
export function assertPlainBody(req: Request): void {
  refuseForms(req);
  const coding = req.header('content-encoding')?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    throw new HttpRefusal('UNSUPPORTED_MEDIA_TYPE', 'Encodage de contenu non pris en charge (envoyez le fichier sans Content-Encoding)', {
      file: ['Encodage de contenu non pris en charge'],
    });
  }
}

type BodyError = Error & { type?: string; status?: number };

/**
 * What the body reader raised, as the client's error: an unsupported Content-Encoding (415), a
 * corrupt compressed body, an aborted upload (400). Only a failure of ours stays a 500.
 */
function bodyRefusal(error: BodyError): Error {
  if (error.type === 'encoding.unsupported') {
    return new HttpRefusal('UNSUPPORTED_MEDIA_TYPE', 'Encodage de contenu non pris en charge (Content-Encoding : gzip, deflate, br ou aucun)', {
      file: ['Encodage de contenu non pris en charge'],
    });
  }
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    return new HttpRefusal('BAD_REQUEST', 'Corps de la requête illisible (envoi interrompu ou compression invalide)', { file: ['Fichier illisible'] });
  }
  return error;
}

/** An error from a refusal another layer knows how to word (code, message, field errors). */
export class HttpRefusal extends Error {
  readonly code: string;
  readonly fieldErrors: Record<string, string[]> | undefined;
  constructor(code: keyof typeof HTTP_STATUS, message: string, fieldErrors?: Record<string, string[]>) {
    super(message);
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

const REFUSED_VALUE = 'Valeur refusée : caractère, date ou nombre hors des limites acceptées';

/** A database error that means the caller's mistake, worded as the procedures word it (packages/trpc/src/errors.ts). */
function fromDatabase(error: unknown): HttpRefusal | null {
  const db = classifyDbError(error);
  if (db?.kind === 'not_found') return new HttpRefusal('NOT_FOUND', 'Introuvable');
  if (db?.kind === 'conflict') return new HttpRefusal('CONFLICT', 'Existe déjà');
  if (db?.kind === 'invalid_input') return new HttpRefusal('BAD_REQUEST', REFUSED_VALUE, { '': [REFUSED_VALUE] });
  return null;
}

/**
 * The JSON error answer: known refusals with their status and field errors, anything else a
 * logged 500. A file too large is a 413, and a refused upload closes the connection rather
 * than reading the rest of its body.
 */
export function answerError(res: Response, log: Logger, raised: unknown, what: string): void {
  const error = raised instanceof FileTooLargeError ? new HttpRefusal('PAYLOAD_TOO_LARGE', raised.message, raised.fieldErrors) : (fromDatabase(raised) ?? raised);
  if (error instanceof HttpRefusal && (error.code === 'PAYLOAD_TOO_LARGE' || error.code === 'UNSUPPORTED_MEDIA_TYPE')) res.setHeader('connection', 'close');
  const known = error instanceof TRPCError || error instanceof DomainError || error instanceof HttpRefusal;
  const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
  // The route, the request id, the error's class and codes: never its message or the request's data (log-safety.ts).
  if (!known) log.error({ requestId: res.locals.requestId as string, route: what, code, err: error }, `${what} failed`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const named = error instanceof DomainError || error instanceof HttpRefusal ? error.fieldErrors : undefined;
  // Every 400 names what it refuses; one about no particular field is about the whole request.
  const fieldErrors = named ?? (code === 'BAD_REQUEST' && known ? { '': [error.message] } : undefined);
  res.status(HTTP_STATUS[code] ?? 500).json({ error: { code, message: known ? error.message : 'Erreur interne', ...(fieldErrors ? { fieldErrors } : {}) } });
}

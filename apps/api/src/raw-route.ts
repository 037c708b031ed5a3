import { withMember } from '@crm/db';
import { DomainError, verifyAccessToken, type AccessClaims, type Permission, type TenantDeps } from '@crm/domain';
import { actorFrom, type CrmServices } from '@crm/trpc';
import { TRPCError } from '@trpc/server';
import type { Request, Response } from 'express';
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
): Promise<T> {
  return withMember(services.db, claims.tenantId, claims.userId, (tx, member) =>
    fn({ tx, actor: actorFrom(member, claims, permission, res.locals.requestId as string), now: services.clock() }),
  );
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

/** The JSON error answer: known refusals with their status and field errors, anything else a logged 500. */
export function answerError(res: Response, log: Logger, error: unknown, what: string): void {
  const known = error instanceof TRPCError || error instanceof DomainError || error instanceof HttpRefusal;
  const code = known ? error.code : 'INTERNAL_SERVER_ERROR';
  if (!known) log.error({ err: error }, `${what} failed`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const fieldErrors = error instanceof DomainError || error instanceof HttpRefusal ? error.fieldErrors : undefined;
  res.status(HTTP_STATUS[code] ?? 500).json({ error: { code, message: known ? error.message : 'Erreur interne', ...(fieldErrors ? { fieldErrors } : {}) } });
}

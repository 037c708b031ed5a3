import { classifyDbError } from '@crm/db';
import { DomainError, type FieldErrors } from '@crm/domain';
import { TRPCError } from '@trpc/server';

const REFUSED_VALUE = 'Valeur refusée : caractère, date ou nombre hors des limites acceptées';

/** The field error of a value the database refused (the input rules missed it): on the whole input. */
const refusedValue = () => new DomainError('BAD_REQUEST', REFUSED_VALUE, { fieldErrors: { '': [REFUSED_VALUE] } });

/**
 * The one place where failures become API errors:
 * invalid input (or a value the database refuses) -> BAD_REQUEST with field errors; unknown or foreign id -> NOT_FOUND;
 * unique violation -> CONFLICT; role -> FORBIDDEN; anything unexpected -> INTERNAL_SERVER_ERROR
 * with a generic message (the details go to the log, not to the caller).
 */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  const db = classifyDbError(cause);
  if (db?.kind === 'not_found') return new TRPCError({ code: 'NOT_FOUND', message: 'Introuvable', cause });
  if (db?.kind === 'conflict') return new TRPCError({ code: 'CONFLICT', message: 'Existe déjà', cause });
  if (db?.kind === 'invalid_input') return new TRPCError({ code: 'BAD_REQUEST', message: REFUSED_VALUE, cause: refusedValue() });
  return error;
}

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function hasIssues(value: unknown): value is { issues: IssueLike[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/**
 * Field errors keyed by dotted path ("address.postalCode"); "" holds errors of the whole input.
 * Every 400 has some: a refusal that names no field (unreadable JSON, a rule of the whole input)
 * is an error of the whole input.
 */
export function fieldErrorsOf(error: TRPCError): FieldErrors | null {
  const cause = error.cause;
  const wholeInput = error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR' ? { '': [error.message] } : null;
  if (cause instanceof DomainError) return cause.fieldErrors ?? wholeInput;
  if (error.code === 'BAD_REQUEST' && hasIssues(cause)) {
    const fields: FieldErrors = {};
    for (const issue of cause.issues) {
      const key = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      (fields[key] ??= []).push(issue.message);
    }
    return fields;
  }
  return wholeInput;
}

export function retryAfterOf(error: TRPCError): number | null {
  return error.cause instanceof DomainError ? (error.cause.retryAfter ?? null) : null;
}

export function inputErrorMessage(error: TRPCError): string {
  return hasIssues(error.cause) ? 'Données invalides' : error.message;
}

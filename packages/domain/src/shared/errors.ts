/**
 * The only errors domain code throws on purpose. packages/trpc maps each code to its HTTP/tRPC
 * status in one place; messages are French because the back office reads them.
 */
export type DomainErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS';

export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  /** Seconds until a throttled caller may try again. */
  readonly retryAfter: number | undefined;

  constructor(code: DomainErrorCode, message: string, extra: { fieldErrors?: FieldErrors; retryAfter?: number } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.retryAfter = extra.retryAfter;
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} introuvable`);
export const forbidden = (message = 'Action non autorisée pour votre rôle'): DomainError =>
  new DomainError('FORBIDDEN', message);
export const unauthorized = (message = 'Authentification requise'): DomainError =>
  new DomainError('UNAUTHORIZED', message);
export const conflict = (message: string, fieldErrors?: FieldErrors): DomainError =>
  new DomainError('CONFLICT', message, fieldErrors ? { fieldErrors } : {});
export const badRequest = (message: string, fieldErrors?: FieldErrors): DomainError =>
  new DomainError('BAD_REQUEST', message, fieldErrors ? { fieldErrors } : {});

const formatMegabytes = (bytes: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} Mo`;

/** A file past its size limit (import, bank return, document): a 400 for the domain, which the upload routes answer 413. */
export class FileTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    const message = `Fichier trop volumineux : ${formatMegabytes(maxBytes)} au plus`;
    super('BAD_REQUEST', message, { fieldErrors: { file: [message] } });
    this.name = 'FileTooLargeError';
  }
}

/**
 * Errors as the logs may hold them: what failed and where, never the data it failed on.
 *
 * An error's message is where libraries put values: Prisma's validation error prints the whole
 * query with its data (passwords' hashes, IBANs, names, file contents), PostgreSQL's message and
 * DETAIL quote the value or the failing row, Node's JSON.parse quotes the text. So no message
 * is logged, of any error: only its class, its codes (Prisma's P-code, PostgreSQL's SQLSTATE,
 * Node's error code), the stack frames (file and line, without the message on the first line)
 * and the same for its cause. With the request id and the procedure or route beside it, that
 * finds the line of code; the data stays in the database.
 */

export interface LoggedError {
  type: string;
  /** Prisma's code (P2002...), Node's (ECONNREFUSED...), tRPC's (INTERNAL_SERVER_ERROR...). */
  code?: string;
  /** PostgreSQL's SQLSTATE when the database refused the statement. */
  sqlState?: string;
  /** Prisma's model, when it names one. */
  model?: string;
  stack?: string;
  cause?: LoggedError;
}

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const FRAME = /^\s+at /;

const codeOf = (value: unknown): string | undefined => (typeof value === 'string' && CODE.test(value) ? value : undefined);

export function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { message?: unknown; stack?: unknown };
  return typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}

/** The error without its message or data: class, codes, stack frames, cause (3 levels). */
export function errorForLog(error: unknown, depth = 0): LoggedError {
  if (!isErrorLike(error)) return { type: error === null ? 'null' : typeof error };
  const raw = error as Error & { code?: unknown; meta?: unknown; clientVersion?: unknown };
  const meta = typeof raw.meta === 'object' && raw.meta !== null ? (raw.meta as Record<string, unknown>) : {};
  const adapterCause = (meta.driverAdapterError as { cause?: { originalCode?: unknown; code?: unknown } } | undefined)?.cause;
  const logged: LoggedError = { type: codeOf(raw.constructor?.name) ?? codeOf(raw.name) ?? 'Error' };
  const code = codeOf(raw.code);
  if (code) logged.code = code;
  // pg's DatabaseError carries the SQLSTATE as its own code; through Prisma's adapter it is in meta.
  const sqlState = codeOf(adapterCause?.originalCode) ?? codeOf(adapterCause?.code);
  if (sqlState) logged.sqlState = sqlState;
  const model = codeOf(meta.modelName);
  if (model) logged.model = model;
  const frames = (raw.stack ?? '').split('\n').filter((line) => FRAME.test(line));
  if (frames.length > 0) logged.stack = frames.slice(0, 20).join('\n');
  if (depth < 3 && raw.cause !== undefined && raw.cause !== error) logged.cause = errorForLog(raw.cause, depth + 1);
  return logged;
}

/** A short line for places that only take text (process warnings). */
export function errorSummary(error: unknown): string {
  const logged = errorForLog(error);
  return [logged.type, logged.code, logged.sqlState].filter(Boolean).join(' ');
}

/** Any error found in a log line's object (three levels deep), replaced; the messages found kept apart. */
function scrub(value: unknown, messages: Set<string>, depth: number): unknown {
  if (isErrorLike(value)) {
    messages.add(value.message);
    return errorForLog(value);
  }
  if (depth >= 3 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const next = scrub(item, messages, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? items : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const next = scrub(item, messages, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

const WITHHELD = 'error (message not logged)';

/** What `safeLogger` calls on a pino logger, without this package depending on pino. */
interface ChildOptions {
  formatters: { log: (object: Record<string, unknown>) => Record<string, unknown> };
  serializers: Record<string, (value: unknown) => unknown>;
}
type Childable = { child(bindings: Record<string, never>, options: ChildOptions): unknown };

/**
 * The logger every process writes through (the API's `createApp`, the worker's `startWorker`
 * and their mains): whatever a call site passes, any error in the line (under `err` or any
 * other key, or as the first argument) is written as `errorForLog` writes it, and a message
 * that would be an error's own (pino takes it when the call gives none) is replaced. Children
 * inherit both. Idempotent.
 */
export function safeLogger<L extends { child: (...args: never[]) => unknown }>(log: L): L {
  // Set by the formatter and read by the message serializer in the same synchronous write.
  let errorMessages = new Set<string>();
  return (log as unknown as Childable).child(
    {},
    {
      formatters: {
        log: (object) => {
          errorMessages = new Set<string>();
          return scrub(object, errorMessages, 0) as Record<string, unknown>;
        },
      },
      serializers: {
        err: (value) => (isErrorLike(value) ? errorForLog(value) : value),
        msg: (value) => (typeof value === 'string' && errorMessages.has(value) ? WITHHELD : value),
      },
    },
  ) as L;
}

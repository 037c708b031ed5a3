import { Prisma } from './generated/prisma/client.ts';

/**
 * What a database error means to the caller. Row-level security and composite tenant keys
 * make "another tenant's row" and "no such row" fail the same ways (no row, P2025, a foreign
 * key violation, an RLS violation); all of them are `not_found`, so nothing reveals that a
 * row exists elsewhere.
 */
export type DbErrorKind = 'not_found' | 'conflict' | 'invalid_input' | null;

export interface ClassifiedDbError {
  kind: Exclude<DbErrorKind, null>;
  /** The columns involved, when PostgreSQL names them (unique violations). */
  fields: string[];
}

export function classifyDbError(error: unknown): ClassifiedDbError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const meta: Record<string, unknown> = error.meta ?? {};
  switch (error.code) {
    case 'P2025': // record to update/delete/connect not found (or hidden by RLS)
    case 'P2003': // foreign key: the referenced row does not exist for this tenant
    case 'P2018': // required connected records not found
      return { kind: 'not_found', fields: [] };
    case 'P2002':
      return { kind: 'conflict', fields: uniqueFields(meta) };
    // A value the column cannot hold: too long, of the wrong type, out of range.
    case 'P2000':
    case 'P2005':
    case 'P2006':
    case 'P2007':
    case 'P2020':
    case 'P2033':
      return { kind: 'invalid_input', fields: columnOf(meta) };
    default: {
      const pgCode = driverCode(meta);
      if (pgCode === '42501') return { kind: 'not_found', fields: [] }; // RLS WITH CHECK refused
      if (pgCode === '23503') return { kind: 'not_found', fields: [] };
      if (pgCode === '23505') return { kind: 'conflict', fields: uniqueFields(meta) };
      if (pgCode !== undefined && isInvalidValue(pgCode)) return { kind: 'invalid_input', fields: columnOf(meta) };
      return null;
    }
  }
}

/**
 * SQLSTATE class 22 (data exception: a NUL byte 22021, an impossible date 22008, bad syntax
 * for a uuid or a timestamp 22P02 / 22007, a number out of range 22003, a JSON string with
 * \u0000 22P05...) and 54000 (a value too large to index): the database refusing a value. The
 * input rules stop these before a query; this is the safety net behind them, so a value that
 * slips through is the caller's 400, not a 500.
 */
function isInvalidValue(pgCode: string): boolean {
  return pgCode.startsWith('22') || pgCode === '54000';
}

function columnOf(meta: Record<string, unknown>): string[] {
  return typeof meta.column_name === 'string' ? [meta.column_name] : [];
}

function driverCode(meta: Record<string, unknown>): string | undefined {
  const adapterError = meta.driverAdapterError as { cause?: { originalCode?: string; code?: string } } | undefined;
  return adapterError?.cause?.originalCode ?? adapterError?.cause?.code;
}

function uniqueFields(meta: Record<string, unknown>): string[] {
  const target = meta.target;
  if (Array.isArray(target)) return target.map(String);
  const adapterError = meta.driverAdapterError as { cause?: { constraint?: { fields?: string[] } } } | undefined;
  return adapterError?.cause?.constraint?.fields ?? [];
}

/**
 * Whether an error means "the database could not be reached" rather than "this work failed":
 * the worker waits and retries those without counting them against the event.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError && ['P1001', 'P1002', 'P1008', 'P1017', 'P2024'].includes(error.code)) {
    return true;
  }
  const text = `${(error as { name?: string })?.name ?? ''} ${(error as { message?: string })?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? '')}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection error|DatabaseNotReachable|ConnectionClosed|server closed the connection|Timed out fetching a new connection|Can't reach database|the database system is (starting|shutting) down|terminating connection/i.test(
    text,
  );
}

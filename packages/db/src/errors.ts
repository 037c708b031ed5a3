import { Prisma } from './generated/prisma/client.ts';

/**
 * What a database error means to the caller. Row-level security and composite tenant keys
 * make "another tenant's row" and "no such row" fail the same ways (no row, P2025, a foreign
 * key violation, an RLS violation); all of them are `not_found`, so nothing reveals that a
 * row exists elsewhere.
 */
export type DbErrorKind = 'not_found' | 'conflict' | null;

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
    default: {
      const pgCode = driverCode(meta);
      if (pgCode === '42501') return { kind: 'not_found', fields: [] }; // RLS WITH CHECK refused
      if (pgCode === '23503') return { kind: 'not_found', fields: [] };
      if (pgCode === '23505') return { kind: 'conflict', fields: uniqueFields(meta) };
      return null;
    }
  }
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

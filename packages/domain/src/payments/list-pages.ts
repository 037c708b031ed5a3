import { isUuid } from '@crm/db';
import { badRequest } from '../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../shared/keyset-cursor.ts';
import { dateOf, isoOf } from './dates.ts';

// Keyset pages of the payments lists (payments, schedule items, mandates, batches): rows in a
// stable (sort key, id) order, a page of `limit` rows and the cursor of the last one, never OFFSET
// and never a silent cap. The cursor is the shared opaque codec (shared/keyset-cursor.ts), the
// one place to change it.

type KeyKind = 'instant' | 'date' | 'number';
type Key = Date | number;

const invalid = () => badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });

function decodeKey(raw: string, kind: KeyKind): [Key, string] {
  const [key, id] = decodeCursor(raw, 2) as [string, string];
  if (!isUuid(id)) throw invalid();
  if (kind === 'number') {
    if (!/^\d{1,15}$/.test(key)) throw invalid();
    return [Number(key), id];
  }
  if (kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(key)) throw invalid();
  const at = kind === 'date' ? dateOf(key) : new Date(key);
  // Only what keyOf writes: JavaScript reads "2026-02-30" as 2 March.
  if (Number.isNaN(at.getTime()) || (kind === 'date' ? isoOf(at) : at.toISOString()) !== key) throw invalid();
  return [at, id];
}

/**
 * The condition "after the cursor" in (field, id) order: the field's bound alone first (it lets
 * PostgreSQL start the index scan at the cursor), then the tie broken by the id. Nothing without
 * a cursor. Refuses, as a field error on `cursor`, a cursor this codec did not make.
 */
export function pageAfter<W>(cursor: string | undefined, field: string, order: 'asc' | 'desc', kind: KeyKind): W {
  if (!cursor) return {} as W;
  const [key, id] = decodeKey(cursor, kind);
  const beyond = order === 'asc' ? 'gt' : 'lt';
  return { [field]: { [order === 'asc' ? 'gte' : 'lte']: key }, OR: [{ [field]: { [beyond]: key } }, { [field]: key, id: { [beyond]: id } }] } as W;
}

/** The sort key of a row as its cursor part. */
export const keyOf = (value: Date | number, kind: KeyKind): string =>
  kind === 'number' ? String(value) : kind === 'date' ? isoOf(value as Date) : (value as Date).toISOString();

/** A page of `limit` rows from `limit + 1` read, with the cursor of its last row when more follow. */
export function pageOf<R extends { id: string }, V>(rows: R[], limit: number, sortKey: (row: R) => string, view: (row: R) => V): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor([sortKey(last), last.id]) : null };
}

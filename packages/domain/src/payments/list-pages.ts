import { z } from 'zod';
import { cursorPart, defineCursor } from '../shared/keyset-cursor.ts';
import { isSaneDay } from '../shared/input-rules.ts';
import { dateOf, isoOf } from './dates.ts';

// Keyset pages of the payments lists (payments, schedule items, mandates, batches): rows in a
// stable (sort key, id) order, a page of `limit` rows and the cursor of the last one, never OFFSET
// and never a silent cap. Each list has its own typed, versioned cursor (shared/keyset-cursor.ts):
// a crafted cursor, or one from another list, is a 400 with a field error on `cursor`.

// A real calendar day in range (isSaneDay also refuses 2026-02-30, which JavaScript reads as 2 March).
const day = z.string().refine(isSaneDay);
const KEY = {
  instant: { part: cursorPart.instant, write: (v: Date | number) => (v as Date).toISOString(), read: (v: string) => new Date(v) },
  date: { part: day, write: (v: Date | number) => isoOf(v as Date), read: dateOf },
  number: { part: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), write: (v: Date | number) => v as number, read: (v: number) => v },
} as const;
type KeyKind = keyof typeof KEY;

/**
 * One list's pages, ordered by (`field`, id) in `order`. `after(cursor)` is the condition "after
 * the cursor": the field's bound alone first (it lets PostgreSQL start the index scan at the
 * cursor), then the tie broken by the id; nothing without a cursor. `of(rows)` makes a page of
 * `limit` rows from `limit + 1` read, with the cursor of its last row when more follow.
 */
export function keysetPages<F extends string>(list: string, field: F, order: 'asc' | 'desc', kind: KeyKind) {
  const key = KEY[kind];
  const codec = defineCursor(`${list}/1`, [key.part as z.ZodType<string | number>, cursorPart.uuid]);
  const beyond = order === 'asc' ? 'gt' : 'lt';
  return {
    after<W>(cursor: string | undefined): W {
      if (!cursor) return {} as W;
      const [raw, id] = codec.decode(cursor);
      const value = (key.read as (v: string | number) => Date | number)(raw);
      return { [field]: { [order === 'asc' ? 'gte' : 'lte']: value }, OR: [{ [field]: { [beyond]: value } }, { [field]: value, id: { [beyond]: id } }] } as W;
    },
    of<R extends { id: string } & Record<F, Date | number>, V>(rows: R[], limit: number, view: (row: R) => V): { items: V[]; nextCursor: string | null } {
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(view), nextCursor: rows.length > limit && last ? codec.encode([key.write(last[field]), last.id]) : null };
    },
  };
}

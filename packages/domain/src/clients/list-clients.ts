import { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { cursorPart, defineCursor } from '../shared/keyset-cursor.ts';
import { nationalPhone } from './client-view.ts';
import { fold } from '../shared/text.ts';
import type { ClientListItem } from './client-view.ts';
import type { TListClientsInput } from './clients.schema.ts';

// The sort key of the last row shown and its id: a folded name, or the creation instant to the microsecond.
const byNameCursor = defineCursor('clients-name/1', [cursorPart.text, cursorPart.uuid]);
const byDateCursor = defineCursor('clients-created/1', [cursorPart.instant, cursorPart.uuid]);

/** `%` and `_` typed by the user are letters, not LIKE wildcards. */
const likeEscape = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of clients, by keyset (never OFFSET: page 10,000 costs what page 1 costs), with
 * filters and an accent-insensitive search over names, company, email, phones and SIRET
 * (a trigram index on the folded search text).
 *
 * One hand-written statement rather than `findMany`: this is the screen the back office scrolls
 * all day, and Prisma's query building and row mapping cost more CPU than PostgreSQL's work here
 * (bench/clients.ts). Rows come back already in the list item's shape. Row-level security
 * applies as to any query of the transaction; the tenant condition is there for the index.
 */
export async function listClients({ tx, actor }: TenantDeps, input: TListClientsInput): Promise<{ items: ClientListItem[]; nextCursor: string | null }> {
  const where: Prisma.Sql[] = [
    Prisma.sql`tenant_id = ${actor.tenantId}::uuid`,
    // `IN` rather than `<> 'archived'`: PostgreSQL misestimates the enum inequality under the
    // RLS filter (1 row) and then sorts the whole tenant instead of walking the name index.
    input.status ? Prisma.sql`status = ${input.status}::client_status` : Prisma.sql`status IN ('prospect', 'active', 'inactive')`,
  ];
  if (input.tag) where.push(Prisma.sql`tags @> ARRAY[${input.tag}]::text[]`);
  if (input.salesRep) where.push(input.salesRep === 'none' ? Prisma.sql`sales_rep_id IS NULL` : Prisma.sql`sales_rep_id = ${input.salesRep}::uuid`);
  if (input.city) where.push(Prisma.sql`lower(city) = lower(${input.city})`);
  // Days as the back office lives them: from midnight in Paris to the end of the last day.
  if (input.createdFrom) where.push(Prisma.sql`created_at >= (${input.createdFrom}::date)::timestamp AT TIME ZONE 'Europe/Paris'`);
  if (input.createdTo) where.push(Prisma.sql`created_at < (${input.createdTo}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'`);
  const search = input.search ? fold(input.search) : '';
  if (search) {
    // A phone or SIRET typed with spaces is one token; otherwise every word must match, in any order.
    const digits = search.replace(/[\s.-]/g, '');
    const words = /^\+?\d{4,}$/.test(digits) ? [nationalPhone(digits.replace(/^00(?=[1-9])/, '+'))] : search.split(' ');
    for (const word of words) where.push(Prisma.sql`search_text LIKE ${`%${likeEscape(word)}%`}`);
  }
  const byName = input.sort === 'name';
  const descending = input.sort === 'newest';
  if (input.cursor) {
    const [key, id] = (byName ? byNameCursor : byDateCursor).decode(input.cursor);
    // (key, id) beyond the cursor. The redundant single-column bound starts the index scan at
    // the cursor: without it PostgreSQL walks the index from the first row and filters.
    where.push(
      byName
        ? Prisma.sql`sort_name >= ${key} AND (sort_name, id) > (${key}, ${id}::uuid)`
        : descending
          ? Prisma.sql`created_at <= ${key}::timestamptz AND (created_at, id) < (${key}::timestamptz, ${id}::uuid)`
          : Prisma.sql`created_at >= ${key}::timestamptz AND (created_at, id) > (${key}::timestamptz, ${id}::uuid)`,
    );
  }
  const order = byName ? Prisma.sql`sort_name ASC, id ASC` : descending ? Prisma.sql`created_at DESC, id DESC` : Prisma.sql`created_at ASC, id ASC`;
  const rows = await tx.$queryRaw<(ClientListItem & { sortKey: string })[]>`
    SELECT id::text, kind::text, display_name AS "displayName", email, coalesce(mobile, phone) AS phone, city,
           status::text, tags, sales_rep_id::text AS "salesRepId",
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
           ${byName ? Prisma.sql`sort_name` : Prisma.sql`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`} AS "sortKey"
    FROM clients
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY ${order}
    LIMIT ${input.limit + 1}`;
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ sortKey: _, ...item }) => item),
    nextCursor: more && last ? (byName ? byNameCursor : byDateCursor).encode([last.sortKey, last.id]) : null,
  };
}

import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { CLIENT_LIST_COLUMNS, fold, toClientListItem } from './client-view.ts';
import { CLIENT_STATUSES, type TListClientsInput } from './clients.schema.ts';

type Cursor = [string, string]; // [sort key, id]

const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decode(raw: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as Cursor;
  } catch {
    /* fall through */
  }
  throw badRequest('Curseur invalide', { cursor: ['Curseur invalide'] });
}

/**
 * One page of clients, by keyset (never OFFSET: page 10,000 costs what page 1 costs), with
 * filters and an accent-insensitive search over names, company, email, phones and SIRET
 * (a trigram index on the folded search text).
 */
export async function listClients({ tx, actor }: TenantDeps, input: TListClientsInput) {
  const where: Prisma.ClientWhereInput = {
    tenantId: actor.tenantId,
    // `IN` rather than `<> 'archived'`: PostgreSQL misestimates the enum inequality under the
    // RLS filter (1 row) and then sorts the whole tenant instead of walking the name index.
    status: input.status ?? { in: [...CLIENT_STATUSES] },
    ...(input.tag ? { tags: { has: input.tag } } : {}),
    ...(input.salesRep ? { salesRepId: input.salesRep === 'none' ? null : input.salesRep } : {}),
    ...(input.city ? { city: { equals: input.city, mode: 'insensitive' } } : {}),
    ...(input.createdFrom || input.createdTo
      ? { createdAt: { ...(input.createdFrom ? { gte: new Date(input.createdFrom) } : {}), ...(input.createdTo ? { lt: new Date(Date.parse(input.createdTo) + 86_400_000) } : {}) } }
      : {}),
  };
  const search = input.search ? fold(input.search) : '';
  if (search) {
    // A phone or SIRET typed with spaces is one token; otherwise every word must match, in any order.
    const digits = search.replace(/[\s.-]/g, '');
    const words = /^\+?\d{4,}$/.test(digits) ? [digits] : search.split(' ');
    where.AND = words.map((word) => ({ searchText: { contains: word } }));
  }
  const byName = input.sort === 'name';
  const direction = input.sort === 'newest' ? 'desc' : 'asc';
  const after = input.cursor ? decode(input.cursor) : null;
  if (after) {
    const [key, id] = after;
    const value = byName ? key : new Date(key);
    const field = byName ? 'sortName' : 'createdAt';
    const [beyond, from] = direction === 'asc' ? (['gt', 'gte'] as const) : (['lt', 'lte'] as const);
    // (key, id) beyond the cursor. The redundant `from` bound starts the index scan at the
    // cursor: without it PostgreSQL walks the index from the first row and filters.
    where.AND = [
      ...((where.AND as Prisma.ClientWhereInput[] | undefined) ?? []),
      { [field]: { [from]: value } },
      { OR: [{ [field]: { [beyond]: value } }, { [field]: value, id: { [beyond]: id } }] },
    ];
  }
  const rows = await tx.client.findMany({
    where,
    select: CLIENT_LIST_COLUMNS,
    orderBy: byName ? [{ sortName: 'asc' }, { id: 'asc' }] : [{ createdAt: direction }, { id: direction }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toClientListItem),
    nextCursor: rows.length > input.limit && last ? encode([byName ? last.sortName : last.createdAt.toISOString(), last.id]) : null,
  };
}

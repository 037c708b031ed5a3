import type { Prisma } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { defineInstantCursor } from '../shared/keyset-cursor.ts';
import { loadClient } from '../shared/load-client.ts';
import { toLetterView } from './letter-view.ts';
import type { TGetLetterInput, TListLettersInput } from './letters.schema.ts';

const lettersCursor = defineInstantCursor('letters/1');
const include = { client: { select: { displayName: true } }, document: { select: { fileName: true } } } as const;

/**
 * One page of letters, newest first, by keyset on (created_at, id), optionally one client's.
 * Only letters of clients the member sees (row-level security); a client filter naming a client
 * the member cannot see answers NOT_FOUND.
 */
export async function listLetters(deps: TenantDeps, input: TListLettersInput) {
  const { tx, actor } = deps;
  if (input.clientId) await loadClient(deps, input.clientId, { id: true });
  const and: Prisma.LetterWhereInput[] = [];
  if (input.cursor) {
    const [at, id] = lettersCursor.decode(input.cursor);
    and.push({ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] });
  }
  const rows = await tx.letter.findMany({
    where: { tenantId: actor.tenantId, ...(input.clientId ? { clientId: input.clientId } : {}), ...(and.length > 0 ? { AND: and } : {}) },
    include,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { items: page.map(toLetterView), nextCursor: rows.length > input.limit && last ? lettersCursor.encode(last.createdAt, last.id) : null };
}

export async function getLetter(deps: TenantDeps, input: TGetLetterInput) {
  const row = await deps.tx.letter.findFirst({ where: { tenantId: deps.actor.tenantId, id: input.letterId }, include });
  if (!row) throw notFound('Courrier');
  return toLetterView(row);
}

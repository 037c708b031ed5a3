import type { TenantDeps } from '../shared/context.ts';
import type { ClientListItem } from './client-view.ts';
import { listClients } from './list-clients.ts';
import type { TListClientsInput } from './clients.schema.ts';
import { csvLine } from '../shared/csv-cells.ts';
import { parisDay } from '../shared/paris-day.ts';

export const CLIENT_CSV_COLUMNS = ['Nom', 'Type', 'Email', 'Téléphone', 'Ville', 'Statut', 'Étiquettes', 'Créé le'] as const;
const STATUS_FR = { prospect: 'Prospect', active: 'Actif', inactive: 'Inactif', archived: 'Archivé' } as const;

/** A client's cells, in the order of CLIENT_CSV_COLUMNS, before quoting. */
export function clientCsvCells(c: Pick<ClientListItem, 'displayName' | 'kind' | 'email' | 'phone' | 'city' | 'status' | 'tags' | 'createdAt'>): string[] {
  return [
    c.displayName,
    c.kind === 'person' ? 'Particulier' : 'Entreprise',
    c.email ?? '',
    c.phone ?? '',
    c.city ?? '',
    STATUS_FR[c.status],
    c.tags.join(', '),
    // The day in Paris (a client created at 00:30 in Paris was created that day, not the day before in UTC).
    parisDay(c.createdAt),
  ];
}

/**
 * The filtered client list as CSV for French Excel (UTF-8 with BOM, `;` separators), produced
 * page by page (keyset), so any size streams in constant memory. `page` runs each page in its
 * own short tenant transaction. The first chunk holds the header and the whole first page, so a
 * caller that reads it before sending a status can still answer an error for a failing export.
 */
export async function* exportClientsCsv(
  page: <T>(fn: (deps: TenantDeps) => Promise<T>) => Promise<T>,
  filters: Omit<TListClientsInput, 'cursor' | 'limit' | 'direction'>,
): AsyncGenerator<string> {
  let head = `\uFEFF${csvLine(CLIENT_CSV_COLUMNS)}`;
  let cursor: string | undefined;
  do {
    const result = await page((deps) => listClients(deps, { ...filters, limit: 100, ...(cursor ? { cursor } : {}) }));
    yield head + result.items.map((c) => csvLine(clientCsvCells(c))).join('');
    head = '';
    cursor = result.nextCursor ?? undefined;
  } while (cursor);
}

import type { Tx } from '@crm/db';
import { derivedColumns } from '../clients/client-view.ts';
import type { TCreateClientInput } from '../clients/clients.schema.ts';
import { badRequest } from '../shared/errors.ts';
import { decodeCsv, parseCsv, type CsvRecord, type ImportDelimiter, type ImportEncoding } from './csv.ts';
import { validateRows, type ImportMapping, type ImportRowError, type ValidRow } from './import-fields.ts';

export type DuplicatePolicy = 'skip' | 'update' | 'create';
/** The report keeps the first errors only: enough to fix a file, small enough to poll. */
export const MAX_REPORTED_ERRORS = 1_000;

export interface ParsedFile {
  encoding: ImportEncoding;
  headers: string[];
  records: CsvRecord[];
}

/** The stored bytes as a header and data records (the header is the first non-blank record). */
export function readImportFile(content: Uint8Array, delimiter: ImportDelimiter, encoding?: ImportEncoding): ParsedFile {
  const decoded = decodeCsv(content, encoding);
  const [header, ...records] = parseCsv(decoded.text, delimiter);
  if (!header) throw badRequest('Fichier vide', { file: ['Fichier vide'] });
  return { encoding: decoded.encoding, headers: header.cells.map((h) => h.trim()), records };
}

/** What must be mapped for any row to make a client: a name or a company name. */
export function assertRequiredColumns(mapping: ImportMapping): void {
  if (!mapping.includes('lastName') && !mapping.includes('companyName')) {
    const message = 'Colonne obligatoire manquante : associez une colonne à « Nom » ou à « Raison sociale »';
    throw badRequest(message, { mapping: [message] });
  }
}

/** The keys two clients are considered the same by, as `findDuplicateClients` compares them. */
function duplicateKeys(c: TCreateClientInput): string[] {
  const keys: string[] = [];
  if (c.email) keys.push(`e:${c.email}`);
  if (c.phone) keys.push(`p:${c.phone}`);
  if (c.mobile && c.mobile !== c.phone) keys.push(`p:${c.mobile}`);
  if (c.siret) keys.push(`s:${c.siret}`);
  if (c.birthDate) keys.push(`n:${derivedColumns(c).sortName}|${c.birthDate}`);
  return keys;
}

/**
 * Existing clients (not archived) that share a key with a row: the same rules as the form's
 * duplicate warning (email, phone or mobile, SIRET, name and birth date), in one set-based
 * query per 20,000 rows. Returns row index -> client id.
 */
async function findExistingDuplicates(tx: Tx, tenantId: string, rows: ValidRow[], timed: Timed): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const CHUNK = 20_000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const keys: string[] = [];
    const indexes: number[] = [];
    rows.slice(start, start + CHUNK).forEach((row, offset) => {
      for (const key of duplicateKeys(row.input)) {
        keys.push(key);
        indexes.push(start + offset);
      }
    });
    if (keys.length === 0) continue;
    const matches = await timed(
      tx.$queryRawUnsafe<{ i: number; id: string }[]>(
        `SELECT u.i, (array_agg(c.id ORDER BY c.id))[1]::text AS id
         FROM unnest($1::text[], $2::int[]) AS u(k, i)
         JOIN (SELECT c.id, k FROM clients c
               CROSS JOIN LATERAL unnest(ARRAY['e:' || c.email, 'p:' || c.phone, 'p:' || c.mobile, 's:' || c.siret,
                                               'n:' || c.sort_name || '|' || to_char(c.birth_date, 'YYYY-MM-DD')]) AS k
               WHERE c.tenant_id = $3::uuid AND c.status IN ('prospect', 'active', 'inactive') AND k IS NOT NULL) c USING (k)
         GROUP BY u.i`,
        keys,
        indexes,
        tenantId,
      ),
    );
    for (const match of matches) found.set(match.i, match.id);
  }
  return found;
}

export type Timed = <T>(promise: Promise<T>) => Promise<T>;
export const untimed: Timed = (promise) => promise;

export interface ImportPlan {
  totalRows: number;
  invalidRows: number;
  errors: ImportRowError[];
  inserts: ValidRow[];
  updates: { row: ValidRow; clientId: string }[];
  /** Duplicates of an existing client (policy skip) or of an earlier row of the file. */
  skipped: number;
}

/**
 * Validates every row and decides what happens to each valid one under the policy: `create`
 * inserts all; `skip` and `update` leave out rows that repeat an earlier row of the file, and
 * skip or update rows matching an existing client (one update per client).
 */
export async function planImport(tx: Tx, tenantId: string, file: ParsedFile, mapping: ImportMapping, policy: DuplicatePolicy, timed: Timed = untimed): Promise<ImportPlan> {
  const { valid, errors, invalidRows } = validateRows(file.records, file.headers, mapping);
  const plan: ImportPlan = { totalRows: file.records.length, invalidRows, errors, inserts: [], updates: [], skipped: 0 };
  if (policy === 'create') {
    plan.inserts = valid;
    return plan;
  }
  const existing = await findExistingDuplicates(tx, tenantId, valid, timed);
  const seen = new Set<string>();
  const updated = new Set<string>();
  valid.forEach((row, index) => {
    const keys = duplicateKeys(row.input);
    const repeated = keys.some((k) => seen.has(k));
    for (const key of keys) seen.add(key);
    const match = existing.get(index);
    if (repeated || (match && (policy === 'skip' || updated.has(match)))) plan.skipped++;
    else if (match) {
      updated.add(match);
      plan.updates.push({ row, clientId: match });
    } else plan.inserts.push(row);
  });
  return plan;
}

export const reportedErrors = (errors: ImportRowError[]) => errors.slice(0, MAX_REPORTED_ERRORS);

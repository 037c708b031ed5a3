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

/** What two clients are compared by: an input row (its sort name derived) or a stored client. */
interface DuplicateKeySource {
  email?: string | null | undefined;
  phone?: string | null | undefined;
  mobile?: string | null | undefined;
  siret?: string | null | undefined;
  /** `YYYY-MM-DD` */
  birthDate?: string | null | undefined;
}

/** The keys two clients are considered the same by, as `findDuplicateClients` compares them. */
function duplicateKeys(c: DuplicateKeySource, sortName: () => string): string[] {
  const keys: string[] = [];
  if (c.email) keys.push(`e:${c.email}`);
  if (c.phone) keys.push(`p:${c.phone}`);
  if (c.mobile && c.mobile !== c.phone) keys.push(`p:${c.mobile}`);
  if (c.siret) keys.push(`s:${c.siret}`);
  if (c.birthDate) keys.push(`n:${sortName()}|${c.birthDate}`);
  return keys;
}

const inputKeys = (input: TCreateClientInput) => duplicateKeys(input, () => derivedColumns(input).sortName);

/**
 * The tenant's clients (not archived) by each of their keys, as the import starts: key ->
 * client id (the smallest when several share it). One read of the key columns, compared in Node,
 * so a file checked in chunks never meets the clients its own earlier chunks inserted.
 */
async function existingClientKeys(tx: Tx, tenantId: string, timed: Timed): Promise<Map<string, string>> {
  const clients = await timed(
    tx.$queryRaw<{ id: string; email: string | null; phone: string | null; mobile: string | null; siret: string | null; sort_name: string; birth_date: string | null }[]>`
      SELECT id::text, email, phone, mobile, siret, sort_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date
      FROM clients WHERE tenant_id = ${tenantId}::uuid AND status IN ('prospect', 'active', 'inactive')`,
  );
  const byKey = new Map<string, string>();
  for (const c of clients) {
    for (const key of duplicateKeys({ ...c, birthDate: c.birth_date }, () => c.sort_name)) {
      const known = byKey.get(key);
      if (known === undefined || c.id < known) byKey.set(key, c.id);
    }
  }
  return byKey;
}

export type Timed = <T>(promise: Promise<T>) => Promise<T>;
export const untimed: Timed = (promise) => promise;

/** What happens to each valid row of a file, or of a chunk of it. */
export interface ImportDecisions {
  inserts: ValidRow[];
  updates: { row: ValidRow; clientId: string }[];
  /** Duplicates of an existing client (policy skip) or of an earlier row of the file. */
  skipped: number;
}

export interface ImportPlan extends ImportDecisions {
  totalRows: number;
  invalidRows: number;
  errors: ImportRowError[];
}

/**
 * Decides what happens to each valid row under the policy, chunk after chunk in file order:
 * `create` inserts all; `skip` and `update` leave out rows that repeat an earlier row of the
 * file, and skip or update rows matching an existing client (one update per client). It
 * remembers the keys of earlier chunks, so a file planned whole or in chunks gets the same plan.
 */
export class ImportPlanner {
  private readonly seen = new Set<string>();
  private readonly updated = new Set<string>();

  private constructor(
    readonly policy: DuplicatePolicy,
    /** The tenant's clients by key when planning started (none looked up under `create`). */
    private readonly existing: Map<string, string>,
  ) {}

  static async start(tx: Tx, tenantId: string, policy: DuplicatePolicy, timed: Timed = untimed): Promise<ImportPlanner> {
    return new ImportPlanner(policy, policy === 'create' ? new Map<string, string>() : await existingClientKeys(tx, tenantId, timed));
  }

  /** The decisions for the next rows of the file. */
  decide(rows: ValidRow[]): ImportDecisions {
    if (this.policy === 'create') return { inserts: rows, updates: [], skipped: 0 };
    const decisions: ImportDecisions = { inserts: [], updates: [], skipped: 0 };
    for (const row of rows) {
      const keys = inputKeys(row.input);
      const repeated = keys.some((k) => this.seen.has(k));
      let match: string | undefined;
      for (const key of keys) {
        this.seen.add(key);
        const id = this.existing.get(key);
        if (id !== undefined && (match === undefined || id < match)) match = id;
      }
      if (repeated || (match && (this.policy === 'skip' || this.updated.has(match)))) decisions.skipped++;
      else if (match) {
        this.updated.add(match);
        decisions.updates.push({ row, clientId: match });
      } else decisions.inserts.push(row);
    }
    return decisions;
  }
}

/** Validates every row of the file and plans it whole (the dry run's report). */
export async function planImport(tx: Tx, tenantId: string, file: ParsedFile, mapping: ImportMapping, policy: DuplicatePolicy): Promise<ImportPlan> {
  const { valid, errors, invalidRows } = validateRows(file.records, file.headers, mapping);
  const planner = await ImportPlanner.start(tx, tenantId, policy);
  return { totalRows: file.records.length, invalidRows, errors, ...planner.decide(valid) };
}

export const reportedErrors = (errors: ImportRowError[]) => errors.slice(0, MAX_REPORTED_ERRORS);

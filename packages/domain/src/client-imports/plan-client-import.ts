import { newId, type Tx } from '@crm/db';
import { derivedColumns } from '../clients/client-view.ts';
import { fold } from '../shared/text.ts';
import type { TContactFields, TCreateClientInput } from '../clients/clients.schema.ts';
import { badRequest } from '../shared/errors.ts';
import type { CsvRecord, ImportDelimiter, ImportEncoding } from '../shared/csv.ts';
import { readImportRecords } from './import-file.ts';
import { readImportFile } from './import-file-store.ts';
import { validateRows, type ImportMapping, type ImportRowError, type ValidRow } from './import-fields.ts';

export type DuplicatePolicy = 'skip' | 'update' | 'create';
/** The report keeps the first errors only: enough to fix a file, small enough to poll. */
export const MAX_REPORTED_ERRORS = 1_000;

/**
 * A stored file opened for reading: its header, then its data records in batches, read slice
 * after slice from the database (never the whole file in memory).
 */
export async function openImportFile(
  tx: Tx,
  ref: { tenantId: string; importId: string; encoding: ImportEncoding; delimiter: ImportDelimiter },
  timed: Timed = untimed,
): Promise<{ headers: string[]; batches: AsyncIterator<CsvRecord[]> }> {
  const batches = readImportRecords(readImportFile(tx, ref.tenantId, ref.importId, timed), ref.encoding, ref.delimiter);
  const first = await batches.next();
  const header = first.done ? undefined : first.value[0];
  if (!header) throw badRequest('Fichier vide', { file: ['Fichier vide'] });
  const rest = first.done ? [] : first.value.slice(1);
  let pendingRest = rest.length > 0;
  return {
    headers: header.cells.map((h) => h.trim()),
    batches: {
      next: () => {
        if (pendingRest) {
          pendingRest = false;
          return Promise.resolve({ done: false, value: rest });
        }
        return batches.next();
      },
    },
  };
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
  /** New clients, with the ids planned for them (a later row may add its contact to one). */
  inserts: { row: ValidRow; clientId: string }[];
  updates: { row: ValidRow; clientId: string }[];
  /**
   * Rows that repeat a company an earlier row of the file creates or updates: the company is
   * not written again, but the contact the row names is added to it (a file lists a company's
   * people one per row).
   */
  contactsOnly: { row: ValidRow; clientId: string; contact: TContactFields; existing: boolean }[];
  /** Duplicates of an existing client (policy skip) or of an earlier row of the file. */
  skipped: number;
  /** Contacts the inserts, updates and contact rows bring. */
  contacts: number;
}

export interface ImportPlan extends Omit<ImportDecisions, 'inserts' | 'updates' | 'contactsOnly'> {
  totalRows: number;
  invalidRows: number;
  errors: ImportRowError[];
  inserted: number;
  updated: number;
  contactRows: number;
}

/** A contact's identity within its company, for the repeats of a file. */
const contactKey = (c: TContactFields) => fold(`${c.lastName ?? ''}|${c.firstName ?? ''}`);

/**
 * Decides what happens to each valid row under the policy, chunk after chunk in file order:
 * `create` inserts all; `skip` and `update` leave out rows that repeat an earlier row of the
 * file (adding their contact to its company, when that row's company is written), and skip or
 * update rows matching an existing client (one update per client). It remembers the keys of
 * earlier chunks, so a file planned whole or in chunks gets the same plan.
 */
export class ImportPlanner {
  /** Key of an earlier row -> the company it writes (null: a person, or a row not written). */
  private readonly seen = new Map<string, string | null>();
  private readonly updated = new Set<string>();
  /** Contacts planned per company, so a repeated person is added once. */
  private readonly contactsOf = new Map<string, Set<string>>();

  private constructor(
    readonly policy: DuplicatePolicy,
    /** The tenant's clients by key when planning started (none looked up under `create`). */
    private readonly existing: Map<string, string>,
  ) {}

  static async start(tx: Tx, tenantId: string, policy: DuplicatePolicy, timed: Timed = untimed): Promise<ImportPlanner> {
    return new ImportPlanner(policy, policy === 'create' ? new Map<string, string>() : await existingClientKeys(tx, tenantId, timed));
  }

  /** Whether `contact` is new to the company (and now planned). */
  private newContact(clientId: string, contact: TContactFields | null): contact is TContactFields {
    if (!contact) return false;
    const key = contactKey(contact);
    let known = this.contactsOf.get(clientId);
    if (!known) this.contactsOf.set(clientId, (known = new Set()));
    if (known.has(key)) return false;
    known.add(key);
    return true;
  }

  /** The decisions for the next rows of the file. */
  decide(rows: ValidRow[]): ImportDecisions {
    const decisions: ImportDecisions = { inserts: [], updates: [], contactsOnly: [], skipped: 0, contacts: 0 };
    if (this.policy === 'create') {
      for (const row of rows) {
        decisions.inserts.push({ row, clientId: newId() });
        if (row.contact) decisions.contacts++;
      }
      return decisions;
    }
    for (const row of rows) {
      const keys = inputKeys(row.input);
      let earlier: string | null | undefined;
      let match: string | undefined;
      for (const key of keys) {
        if ((earlier === undefined || earlier === null) && this.seen.has(key)) earlier = this.seen.get(key) ?? earlier ?? null;
        const id = this.existing.get(key);
        if (id !== undefined && (match === undefined || id < match)) match = id;
      }
      // A repeat of an earlier row, or of a client an earlier row updates: its contact joins
      // the company written, if it is one; nothing else of it is.
      if (earlier === undefined && match && this.policy === 'update' && this.updated.has(match)) earlier = row.input.kind === 'company' ? match : null;
      if (earlier !== undefined) {
        const contact = row.contact;
        if (earlier !== null && row.input.kind === 'company' && this.newContact(earlier, contact)) {
          decisions.contactsOnly.push({ row, clientId: earlier, contact, existing: this.updated.has(earlier) });
          decisions.contacts++;
        } else decisions.skipped++;
        for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, earlier);
        continue;
      }
      let writes: string | null = null;
      if (match && this.policy === 'skip') decisions.skipped++;
      else if (match) {
        this.updated.add(match);
        decisions.updates.push({ row, clientId: match });
        writes = match;
      } else {
        writes = newId();
        decisions.inserts.push({ row, clientId: writes });
      }
      if (writes && this.newContact(writes, row.contact)) decisions.contacts++;
      const company = writes !== null && row.input.kind === 'company' ? writes : null;
      for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, company);
    }
    return decisions;
  }
}

export type ValidatedChunk = ImportDecisions & { rows: number; records: number; invalidRows: number; errors: ImportRowError[] };

/** Rows checked between two turns of the event loop (a few milliseconds of work). */
export const YIELD_EVERY = 500;
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The file's records in chunks of `chunkSize`, each validated and planned: what the dry run
 * counts and what the run writes, by the same code. Node yields to the event loop every few
 * hundred rows, so a statement in flight moves on as soon as PostgreSQL answers.
 */
export async function* planChunks(
  batches: AsyncIterator<CsvRecord[]>,
  headers: string[],
  mapping: ImportMapping,
  planner: ImportPlanner,
  chunkSize: number,
): AsyncGenerator<ValidatedChunk> {
  let buffered: CsvRecord[] = [];
  let done = false;
  while (!done || buffered.length > 0) {
    while (!done && buffered.length < chunkSize) {
      const next = await batches.next();
      if (next.done) done = true;
      else buffered = buffered.length ? buffered.concat(next.value) : next.value;
    }
    const records = buffered.slice(0, chunkSize);
    buffered = buffered.slice(chunkSize);
    if (records.length === 0) continue;
    const valid: ValidRow[] = [];
    const errors: ImportRowError[] = [];
    let invalidRows = 0;
    for (let slice = 0; slice < records.length; slice += YIELD_EVERY) {
      const checked = validateRows(records.slice(slice, slice + YIELD_EVERY), headers, mapping);
      for (const error of checked.errors) errors.push(error);
      invalidRows += checked.invalidRows;
      for (const row of checked.valid) valid.push(row);
      await nextTurn();
    }
    yield { ...planner.decide(valid), rows: valid.length, records: records.length, invalidRows, errors };
  }
}

/**
 * The first errors by row number, kept as they come (errors arrive nearly in row order, so
 * the collection stays small even when most rows of a large file are wrong).
 */
export class ErrorCollector {
  private errors: ImportRowError[] = [];
  add(errors: Iterable<ImportRowError>): void {
    for (const error of errors) this.errors.push(error);
    if (this.errors.length > 2 * MAX_REPORTED_ERRORS) this.errors = this.sorted();
  }
  sorted(): ImportRowError[] {
    return this.errors.sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ERRORS);
  }
}

/** Validates every row of the stored file and plans it (the dry run's report), in chunks as the run does. */
export async function planImport(
  tx: Tx,
  file: { tenantId: string; importId: string; encoding: ImportEncoding; delimiter: ImportDelimiter },
  mapping: ImportMapping,
  policy: DuplicatePolicy,
  chunkSize = 5_000,
): Promise<ImportPlan> {
  const planner = await ImportPlanner.start(tx, file.tenantId, policy);
  const { headers, batches } = await openImportFile(tx, file);
  const plan: ImportPlan = { totalRows: 0, invalidRows: 0, errors: [], inserted: 0, updated: 0, contactRows: 0, skipped: 0, contacts: 0 };
  const errors = new ErrorCollector();
  for await (const chunk of planChunks(batches, headers, mapping, planner, chunkSize)) {
    plan.totalRows += chunk.records;
    plan.invalidRows += chunk.invalidRows;
    plan.inserted += chunk.inserts.length;
    plan.updated += chunk.updates.length;
    plan.contactRows += chunk.contactsOnly.length;
    plan.skipped += chunk.skipped;
    plan.contacts += chunk.contacts;
    errors.add(chunk.errors);
  }
  plan.errors = errors.sorted();
  return plan;
}

export const reportedErrors = (errors: ImportRowError[]) => errors.slice(0, MAX_REPORTED_ERRORS);

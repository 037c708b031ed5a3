import { activeTraceParent, newId, withSystem, withTenant, type Client, type ClientContact, type Db, type Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import { clientColumns, missingName } from '../clients/client-fields.ts';
import { derivedColumns, fold, type ContactSearchTerms } from '../clients/client-view.ts';
import type { TContactFields, TCreateClientInput } from '../clients/clients.schema.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { ImportDelimiter, ImportEncoding } from './csv.ts';
import type { ImportField, ImportMapping } from './import-fields.ts';
import {
  ErrorCollector,
  ImportPlanner,
  nextTurn,
  openImportFile,
  planChunks,
  YIELD_EVERY,
  type DuplicatePolicy,
  type ImportDecisions,
  type Timed,
} from './plan-client-import.ts';

/** The columns an import writes, each sent as one array per chunk. */
type ClientRow = Pick<
  Client,
  | 'id' | 'kind' | 'civility' | 'firstName' | 'lastName' | 'companyName' | 'legalForm' | 'siren' | 'siret' | 'email' | 'phone' | 'mobile'
  | 'addressLine1' | 'addressLine2' | 'postalCode' | 'city' | 'country' | 'birthDate' | 'status' | 'source' | 'tags'
  | 'marketingConsent' | 'marketingConsentAt' | 'notes' | 'displayName' | 'sortName' | 'searchText'
>;

const COLUMNS: [keyof ClientRow, string, string][] = [
  ['id', 'id', 'uuid'],
  ['kind', 'kind', 'client_kind'],
  ['civility', 'civility', 'text'],
  ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'],
  ['companyName', 'company_name', 'text'],
  ['legalForm', 'legal_form', 'text'],
  ['siren', 'siren', 'text'],
  ['siret', 'siret', 'text'],
  ['email', 'email', 'text'],
  ['phone', 'phone', 'text'],
  ['mobile', 'mobile', 'text'],
  ['addressLine1', 'address_line1', 'text'],
  ['addressLine2', 'address_line2', 'text'],
  ['postalCode', 'postal_code', 'text'],
  ['city', 'city', 'text'],
  ['country', 'country', 'text'],
  ['birthDate', 'birth_date', 'date'],
  ['status', 'status', 'client_status'],
  ['source', 'source', 'text'],
  ['tags', 'tags', 'text'], // each row's own array literal, cast to text[]
  ['marketingConsent', 'marketing_consent', 'boolean'],
  ['marketingConsentAt', 'marketing_consent_at', 'timestamptz'],
  ['notes', 'notes', 'text'],
  ['displayName', 'display_name', 'text'],
  ['sortName', 'sort_name', 'text'],
  ['searchText', 'search_text', 'text'],
];
// $1 tenant, $2 now, then one array literal per column (`{"a","b",NULL}`), written here as
// text: PostgreSQL parses arrays cheaply (a JSON document per chunk cost as much to parse as
// the heap writes), and one string per column spares the drivers a conversion per value.
// A row's tags travel as the text of their own array literal (arrays of arrays must be
// rectangular), cast back per row.
const ARRAYS = COLUMNS.map(([, , type], i) => `$${i + 3}::${type}[]`).join(', ');
const RECORD = COLUMNS.map(([, column]) => column).join(', ');
/** The parameter holding a column's array. */
const param = (key: keyof ClientRow) => `$${COLUMNS.findIndex(([k]) => k === key) + 3}`;
const value = (column: string) => (column === 'tags' ? `COALESCE(u.tags::text[], '{}')` : `u.${column}`);

// Each new client gets its `client.created` event, whose id is made in Node (cheaper than
// crm_uuid_v7() per row). The events read the ids, kinds and display names from their own
// small arrays (the same parameters, parsed again), not from the inserted rows: no join, and
// the chunk's rows are never materialised. A data-modifying WITH always runs to completion.
// The last parameter is the rep every new client goes to (the scoped importer's own, else none).
const SALES_REP = `$${COLUMNS.length + 4}::uuid`;
// After it, the import's trace (the worker's span, emit-event.ts), null when tracing is off.
const TRACE_PARENT = `$${COLUMNS.length + 5}::text`;
const INSERT_SQL = `
  WITH inserted AS (
    INSERT INTO clients (tenant_id, ${RECORD}, sales_rep_id, created_at, updated_at)
    SELECT $1::uuid, ${COLUMNS.map(([, column]) => value(column)).join(', ')}, ${SALES_REP}, $2::timestamptz, $2::timestamptz
    FROM unnest(${ARRAYS}) AS u(${RECORD}))
  INSERT INTO outbox_events (id, tenant_id, client_id, type, payload, occurred_at, trace_parent)
  SELECT e.event_id, $1::uuid, e.id, 'client.created',
         jsonb_build_object('clientId', e.id, 'kind', e.kind, 'displayName', e.display_name, 'salesRepId', ${SALES_REP}), $2::timestamptz, ${TRACE_PARENT}
  FROM unnest(${param('id')}::uuid[], ${param('kind')}::client_kind[], ${param('displayName')}::text[], $${COLUMNS.length + 3}::uuid[]) AS e(id, kind, display_name, event_id)`;

const UPDATE_SQL = `
  UPDATE clients c SET ${COLUMNS.filter(([key]) => key !== 'id').map(([, column]) => `${column} = ${value(column)}`).join(', ')}, updated_at = $2::timestamptz
  FROM unnest(${ARRAYS}) AS u(${RECORD})
  WHERE c.tenant_id = $1::uuid AND c.id = u.id`;

/** A contact's columns, each sent as one array per chunk (`ContactRow`). */
const CONTACT_COLUMNS = [
  ['id', 'id', 'uuid'], ['clientId', 'client_id', 'uuid'], ['civility', 'civility', 'text'], ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'], ['role', 'role', 'text'], ['email', 'email', 'text'], ['phone', 'phone', 'text'], ['mobile', 'mobile', 'text'],
] as const;
type ContactRow = Record<(typeof CONTACT_COLUMNS)[number][0], string | null>;

// A statement of its own after the clients': the contacts' policy checks that each one's client
// is visible, and rows inserted by the same statement are not.
const CONTACT_INSERT_SQL = `
  INSERT INTO client_contacts (tenant_id, ${CONTACT_COLUMNS.map(([, c]) => c).join(', ')}, created_at, updated_at)
  SELECT $1::uuid, ${CONTACT_COLUMNS.map(([, c]) => `u.${c}`).join(', ')}, $2::timestamptz, $2::timestamptz
  FROM unnest(${CONTACT_COLUMNS.map(([, , type], i) => `$${i + 3}::${type}[]`).join(', ')}) AS u(${CONTACT_COLUMNS.map(([, c]) => c).join(', ')})`;

// Contacts added to a company written by an earlier row: its search text gains their terms
// (what `derivedColumns` would append for them, folded the same way).
const SEARCH_APPEND_SQL = `
  UPDATE clients c SET search_text = c.search_text || ' ' || u.terms, updated_at = $2::timestamptz
  FROM unnest($3::uuid[], $4::text[]) AS u(id, terms)
  WHERE c.tenant_id = $1::uuid AND c.id = u.id`;

const contactRow = (clientId: string, c: TContactFields): ContactRow => ({
  id: newId(), clientId, civility: c.civility ?? null, firstName: c.firstName || null, lastName: c.lastName || null,
  role: c.role || null, email: c.email ?? null, phone: c.phone ?? null, mobile: c.mobile ?? null,
});
const contactArrays = (rows: ContactRow[]) => CONTACT_COLUMNS.map(([key]) => `{${rows.map((r) => element(r[key])).join(',')}}`);
/** The terms a contact adds to its company's search text (as `derivedColumns` folds them). */
const contactTerms = (c: ContactSearchTerms) => derivedColumns({ kind: 'company', companyName: '' }, [c]).searchText;
const sameContact = (a: { firstName?: string | null; lastName?: string | null }, b: typeof a) =>
  fold(`${a.lastName ?? ''}|${a.firstName ?? ''}`) === fold(`${b.lastName ?? ''}|${b.firstName ?? ''}`);

/** What an array literal's element must be quoted for: array syntax, white space, '' or the word NULL. */
const NEEDS_QUOTES = /[\s{}",\\]|^$|^null$/i;

/**
 * An array literal's element: NULL, the text as it is when it can be (ids, dates, most names
 * and emails: fewer bytes to send, nothing for the driver to escape), or quoted with `"` and
 * `\` escaped, as PostgreSQL's own array output does.
 */
function element(v: string | number | boolean | Date | null | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  const text = v instanceof Date ? v.toISOString() : String(v);
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${/["\\]/.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
}

/** The chunk's rows as one array literal per column; `withEventIds` adds each new client's `client.created` event id. */
function columnArrays(rows: ClientRow[], withEventIds = false): string[] {
  const arrays = COLUMNS.map(([key]) => {
    const elements = rows.map((row) => {
      const v = row[key];
      if (Array.isArray(v)) return v.length ? element(`{${v.map(element).join(',')}}`) : 'NULL'; // tags
      if (key === 'birthDate' && v) return (v as Date).toISOString().slice(0, 10);
      return element(v);
    });
    return `{${elements.join(',')}}`;
  });
  return withEventIds ? [...arrays, `{${rows.map(() => newId()).join(',')}}`] : arrays;
}

/**
 * A new client's row: the form's column rules (`clientColumns`), the table's defaults for what
 * they leave out, and the derived columns. Written as one literal of every column, so the
 * hundred thousand rows of an import share one object shape.
 */
function newClientRow(id: string, input: TCreateClientInput, contact: TContactFields | null, now: Date): ClientRow {
  const c = clientColumns(input, now) as Partial<ClientRow>;
  const row: ClientRow = {
    id, kind: input.kind, civility: c.civility ?? null, firstName: c.firstName ?? null, lastName: c.lastName ?? null,
    companyName: c.companyName ?? null, legalForm: c.legalForm ?? null, siren: c.siren ?? null, siret: c.siret ?? null, email: c.email ?? null,
    phone: c.phone ?? null, mobile: c.mobile ?? null, addressLine1: c.addressLine1 ?? null, addressLine2: c.addressLine2 ?? null,
    postalCode: c.postalCode ?? null, city: c.city ?? null, country: c.country ?? 'FR', birthDate: c.birthDate ?? null, status: c.status ?? 'prospect',
    source: c.source ?? null, tags: c.tags ?? [], marketingConsent: c.marketingConsent ?? false, marketingConsentAt: c.marketingConsentAt ?? null,
    notes: c.notes ?? '', displayName: '', sortName: '', searchText: '',
  };
  const derived = derivedColumns(row, contact ? [contact] : []);
  row.displayName = derived.displayName;
  row.sortName = derived.sortName;
  row.searchText = derived.searchText;
  return row;
}

/** An existing client with the fields the file gives (empty cells leave a field as it was). */
function updatedClientRow(
  current: Client,
  input: TCreateClientInput,
  given: Set<ImportField>,
  contacts: readonly ContactSearchTerms[],
  now: Date,
): ClientRow | NonNullable<ReturnType<typeof missingName>> {
  // Parsed rows only hold the fields the file gave, but the kind, inferred when not given.
  const { kind, ignoreDuplicates: _ignore, ...fields } = input;
  const merged = { ...current, ...(clientColumns(fields, now) as Partial<ClientRow>), ...(given.has('kind') ? { kind } : {}) } as ClientRow;
  return missingName(merged) ?? { ...merged, ...derivedColumns(merged, contacts) };
}

export interface ImportRunResult {
  outcome: 'succeeded' | 'failed' | 'busy' | 'gone';
  /** Why it failed, for the runner's log (the import row holds a French message without details). */
  error?: unknown;
  insertedRows: number;
  updatedRows: number;
  skippedRows: number;
  insertedContacts: number;
  /** Time with a statement of the import's transaction in flight (PostgreSQL at work, Node meanwhile checking the next chunk). */
  dbMs: number;
  totalMs: number;
}

/**
 * Progress goes to the import row in short transactions of its own, so the web app sees it
 * while the rows are still uncommitted. Writes are coalesced and never awaited by the import
 * (a single-connection database would otherwise wait on itself); the status guard keeps a late
 * write from touching a finished import.
 */
function progressWriter(db: Db, tenantId: string, importId: string) {
  let pending: number | null = null;
  let inFlight: Promise<void> | null = null;
  const drain = async () => {
    while (pending !== null) {
      const processed = pending;
      pending = null;
      await withTenant(db, tenantId, (tx) =>
        tx.$executeRaw`UPDATE client_imports SET status = 'running', started_at = COALESCE(started_at, now()), processed_rows = GREATEST(processed_rows, ${processed})
                       WHERE tenant_id = ${tenantId}::uuid AND id = ${importId}::uuid AND status IN ('queued', 'running')`,
      ).catch(() => undefined);
    }
    inFlight = null;
  };
  return {
    report(processed: number) {
      pending = processed;
      inFlight ??= drain();
    },
    settled: () => inFlight ?? Promise.resolve(),
  };
}

export interface RunClientImportOptions {
  /** Rows per INSERT/UPDATE statement. */
  chunkSize?: number;
}


const FAILURE = 'L’import a échoué : aucun client n’a été importé. Réessayez ou contactez le support si le problème persiste.';

/**
 * From here on the transaction acts as the importer, under the client scope recorded by the dry
 * run: it sees, matches and updates the clients the dry run did and no other (PostgreSQL's
 * policies on clients), so a row like a client the importer cannot see becomes a new client,
 * as the report said. A scoped importer's new clients go to their own rep, as the client form
 * does; PostgreSQL would refuse them otherwise. Returns that rep (null: no scope, no rep).
 */
async function actAsImporter(tx: Tx, tenantId: string, job: { createdBy: string; clientScope: string }): Promise<string | null> {
  await tx.$executeRaw`SELECT set_config('app.user_id', ${job.createdBy}, true), set_config('app.client_scope', ${job.clientScope}, true)`;
  if (job.clientScope === 'all') return null;
  // As crm_enter_tenant does for a member with a scope: the scope's policies are that role's.
  await tx.$executeRaw`SELECT set_config('role', 'crm_app_scoped', true), set_config('jit', 'off', true)`;
  const own = await tx.salesRep.findFirst({ where: { tenantId, userId: job.createdBy }, select: { id: true } });
  if (!own) throw new DomainError('CONFLICT', 'L’import a échoué : votre compte n’est lié à aucun commercial, les nouveaux clients ne peuvent pas vous être attribués.');
  return own.id;
}

/**
 * Runs one queued import. All rows and their `client.created` events are written in ONE
 * transaction (set-based: one INSERT ... SELECT FROM unnest() per chunk): a failure leaves no client and no event. The
 * import is claimed with a transaction-level advisory lock held by that transaction, so two
 * runners never run it together, and a runner that dies releases it with its transaction: the
 * import (still `queued` or `running`) is picked up again. A failure inside the work is rolled
 * back to a savepoint and recorded as `failed` in the same transaction, under the same lock.
 */
export async function runClientImport(
  deps: { db: Db; clock: Clock },
  ref: { tenantId: string; importId: string },
  options: RunClientImportOptions = {},
): Promise<ImportRunResult> {
  const started = performance.now();
  let dbMs = 0;
  const timed: Timed = async (promise) => {
    const t0 = performance.now();
    try {
      return await promise;
    } finally {
      dbMs += performance.now() - t0;
    }
  };
  const chunkSize = options.chunkSize ?? 5_000;
  const progress = progressWriter(deps.db, ref.tenantId, ref.importId);
  const result = await withTenant(
    deps.db,
    ref.tenantId,
    async (tx): Promise<Omit<ImportRunResult, 'dbMs' | 'totalMs'>> => {
      const none = { insertedRows: 0, updatedRows: 0, skippedRows: 0, insertedContacts: 0 };
      const [lock] = await timed(tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('client_import'), hashtext(${ref.importId})) AS locked`);
      if (!lock?.locked) return { outcome: 'busy', ...none };
      const [job] = await timed(
        tx.$queryRaw<{ encoding: string; delimiter: string; mapping: unknown; duplicatePolicy: DuplicatePolicy; createdBy: string; clientScope: string }[]>`
          SELECT encoding, delimiter, mapping, duplicate_policy::text AS "duplicatePolicy", created_by::text AS "createdBy",
                 client_scope AS "clientScope"
          FROM client_imports
          WHERE tenant_id = ${ref.tenantId}::uuid AND id = ${ref.importId}::uuid AND status IN ('queued', 'running')`,
      );
      if (!job) return { outcome: 'gone', ...none };
      progress.report(0);
      const now = deps.clock();
      await timed(tx.$executeRawUnsafe('SAVEPOINT client_import_rows'));
      try {
        const salesRepId = await timed(actAsImporter(tx, ref.tenantId, job));
        // The existing clients' keys (those the importer sees), then the file, slice after slice
        // (the next slice is read while Node checks the current one; the whole file is never in memory).
        const planner = await ImportPlanner.start(tx, ref.tenantId, job.duplicatePolicy, timed);
        const file = { tenantId: ref.tenantId, importId: ref.importId, encoding: job.encoding as ImportEncoding, delimiter: job.delimiter as ImportDelimiter };
        const { headers, batches } = await openImportFile(tx, file, timed);
        const mapping = (job.mapping as { columns: ImportMapping }).columns;
        const errors = new ErrorCollector();
        let totalRows = 0;
        let invalidRows = 0;
        let processed = 0;
        let insertedRows = 0;
        let updatedRows = 0;
        let insertedContacts = 0;
        let skipped = 0;

        /** Contacts for clients that exist already: the same person (by name) is updated, anyone else added. */
        const contactsOfExisting = async (wanted: { clientId: string; contact: TContactFields }[], current: Map<string, ClientContact[]>) => {
          const added: ContactRow[] = [];
          for (const { clientId, contact } of wanted) {
            const known = current.get(clientId) ?? [];
            const same = known.find((k) => sameContact(k, contact));
            if (!same) {
              added.push(contactRow(clientId, contact));
              known.push({ ...contactRow(clientId, contact), tenantId: ref.tenantId, createdAt: now, updatedAt: now } as ClientContact);
              current.set(clientId, known);
              continue;
            }
            const changes: Partial<Record<'civility' | 'role' | 'email' | 'phone' | 'mobile', string>> = {};
            for (const key of ['civility', 'role', 'email', 'phone', 'mobile'] as const) if (contact[key]) changes[key] = contact[key];
            if (Object.keys(changes).length > 0) {
              Object.assign(same, changes);
              await timed(tx.clientContact.update({ where: { id: same.id }, data: changes, select: { id: true } }));
            }
          }
          return added;
        };

        /** One chunk's database work: its clients (with their events), their contacts, then its updates. */
        const write = async (chunk: {
          rows: number;
          inserts: string[] | null;
          insertCount: number;
          contacts: ContactRow[];
          appended: Map<string, string>;
          updates: ImportDecisions['updates'];
          existingContacts: { clientId: string; contact: TContactFields }[];
        }) => {
          if (chunk.inserts) {
            await timed(tx.$executeRawUnsafe(INSERT_SQL, ref.tenantId, now.toISOString(), ...chunk.inserts, salesRepId, activeTraceParent()));
            insertedRows += chunk.insertCount;
          }
          const contacts = chunk.contacts;
          if (chunk.updates.length > 0 || chunk.existingContacts.length > 0) {
            const ids = [...new Set([...chunk.updates.map((u) => u.clientId), ...chunk.existingContacts.map((c) => c.clientId)])];
            const [clients, known] = await Promise.all([
              timed(tx.client.findMany({ where: { tenantId: ref.tenantId, id: { in: ids } } })),
              timed(tx.clientContact.findMany({ where: { tenantId: ref.tenantId, clientId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })),
            ]);
            const current = new Map(clients.map((c) => [c.id, c]));
            const contactsOf = new Map<string, ClientContact[]>();
            for (const k of known) contactsOf.set(k.clientId, [...(contactsOf.get(k.clientId) ?? []), k]);
            const rows: ClientRow[] = [];
            const wanted: { clientId: string; contact: TContactFields }[] = [];
            for (const { row, clientId } of chunk.updates) {
              const before = current.get(clientId)!;
              const kind = row.given.has('kind') ? row.input.kind : before.kind;
              if (row.contact && kind === 'company') wanted.push({ clientId, contact: row.contact });
              else if (row.contact) errors.add([{ row: row.row, field: 'contactLastName', message: 'Contact ignoré : le client existant est un particulier' }]);
            }
            for (const c of chunk.existingContacts) {
              if (current.get(c.clientId)?.kind === 'company') wanted.push(c);
            }
            for (const row of await contactsOfExisting(wanted, contactsOf)) contacts.push(row);
            for (const { row, clientId } of chunk.updates) {
              const merged = updatedClientRow(current.get(clientId)!, row.input, row.given, contactsOf.get(clientId) ?? [], now);
              if ('message' in merged) {
                errors.add([{ row: row.row, ...merged }]);
                skipped++;
              } else rows.push(merged);
            }
            if (rows.length > 0) await timed(tx.$executeRawUnsafe(UPDATE_SQL, ref.tenantId, now.toISOString(), ...columnArrays(rows)));
            updatedRows += rows.length;
            // Contacts of existing companies not updated by this chunk: their search text gains them.
            const updatedHere = new Set(rows.map((r) => r.id));
            for (const c of chunk.existingContacts) {
              if (!updatedHere.has(c.clientId) && current.get(c.clientId)?.kind === 'company') {
                chunk.appended.set(c.clientId, [chunk.appended.get(c.clientId), contactTerms(c.contact)].filter(Boolean).join(' '));
              }
            }
          }
          if (contacts.length > 0) {
            await timed(tx.$executeRawUnsafe(CONTACT_INSERT_SQL, ref.tenantId, now.toISOString(), ...contactArrays(contacts)));
            insertedContacts += contacts.length;
          }
          if (chunk.appended.size > 0) {
            const entries = [...chunk.appended].filter(([, terms]) => terms !== '');
            if (entries.length > 0) {
              await timed(tx.$executeRawUnsafe(SEARCH_APPEND_SQL, ref.tenantId, now.toISOString(), `{${entries.map(([id]) => id).join(',')}}`, `{${entries.map(([, t]) => element(t)).join(',')}}`));
            }
          }
          processed += chunk.rows;
          progress.report(processed);
        };

        // A pipeline of two: Node checks, plans and encodes chunk n+1 while PostgreSQL writes
        // chunk n (`planChunks` yields to the event loop every few hundred rows).
        let writing: Promise<void> = Promise.resolve();
        for await (const chunk of planChunks(batches, headers, mapping, planner, chunkSize)) {
          totalRows += chunk.records;
          invalidRows += chunk.invalidRows;
          errors.add(chunk.errors);
          skipped += chunk.skipped;
          const rows: ClientRow[] = [];
          const contacts: ContactRow[] = [];
          for (let slice = 0; slice < chunk.inserts.length; slice += YIELD_EVERY) {
            for (const { row, clientId } of chunk.inserts.slice(slice, slice + YIELD_EVERY)) {
              rows.push(newClientRow(clientId, row.input, row.contact, now));
              if (row.contact) contacts.push(contactRow(clientId, row.contact));
            }
            await nextTurn();
          }
          // Contacts of companies created by an earlier row: added, and appended to their search text.
          const appended = new Map<string, string>();
          const existingContacts: { clientId: string; contact: TContactFields }[] = [];
          for (const { clientId, contact, existing } of chunk.contactsOnly) {
            if (existing) existingContacts.push({ clientId, contact });
            else {
              contacts.push(contactRow(clientId, contact));
              appended.set(clientId, [appended.get(clientId), contactTerms(contact)].filter(Boolean).join(' '));
            }
          }
          const inserts = rows.length > 0 ? columnArrays(rows, true) : null;
          await writing;
          writing = write({ rows: chunk.rows, inserts, insertCount: rows.length, contacts, appended, updates: chunk.updates, existingContacts });
          writing.catch(() => undefined); // awaited on the next turn or after the loop
        }
        await writing;
        const counters = { insertedRows, updatedRows, skippedRows: skipped, insertedContacts };
        await timed(
          tx.clientImport.update({
            where: { id: ref.importId },
            data: {
              status: 'succeeded',
              ...counters,
              totalRows,
              validRows: totalRows - invalidRows,
              processedRows: processed,
              errors: errors.sorted(),
              failure: null,
              finishedAt: deps.clock(),
            },
            select: { id: true },
          }),
        );
        await timed(
          recordAudit(tx, { tenantId: ref.tenantId, actorUserId: job.createdBy, action: 'client_import.succeeded', entityType: 'client_import', entityId: ref.importId, data: counters }),
        );
        return { outcome: 'succeeded', ...counters };
      } catch (error) {
        // Everything the import wrote goes; the failure is recorded under the same lock.
        await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT client_import_rows');
        const message = error instanceof Error && error.name === 'DomainError' ? error.message : FAILURE;
        await tx.clientImport.update({
          where: { id: ref.importId },
          data: { status: 'failed', failure: message, insertedRows: 0, updatedRows: 0, skippedRows: 0, insertedContacts: 0, finishedAt: deps.clock() },
          select: { id: true },
        });
        await recordAudit(tx, { tenantId: ref.tenantId, actorUserId: job.createdBy, action: 'client_import.failed', entityType: 'client_import', entityId: ref.importId, data: { error: error instanceof Error ? error.message.slice(0, 500) : 'unknown' } });
        return { outcome: 'failed', error, ...none };
      }
    },
    // 100 MB of CSV is ~1M rows: about a minute of work, with a wide margin.
    { timeoutMs: 30 * 60_000 },
  );
  await progress.settled();
  return { ...result, dbMs, totalMs: performance.now() - started };
}

/**
 * One pass of the background runner: imports waiting (`queued`) or orphaned by a runner that
 * died (`running`, lock free), oldest first; the first one this runner can lock is run.
 * Returns what ran, or null when there was nothing to do.
 */
export async function runNextClientImport(deps: { db: Db; clock: Clock }): Promise<(ImportRunResult & { importId: string }) | null> {
  const candidates = await withSystem(deps.db, (tx: Tx) =>
    tx.$queryRaw<{ id: string; tenant_id: string }[]>`
      SELECT id::text, tenant_id::text FROM client_imports WHERE status IN ('queued', 'running') ORDER BY created_at, id LIMIT 20`,
  );
  for (const candidate of candidates) {
    const result = await runClientImport(deps, { tenantId: candidate.tenant_id, importId: candidate.id });
    if (result.outcome === 'succeeded' || result.outcome === 'failed') return { ...result, importId: candidate.id };
  }
  return null;
}

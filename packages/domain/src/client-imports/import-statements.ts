import { newId, type Client } from '@crm/db';

// The set-based statements of a client import and the encoding of their parameters: one INSERT
// ... SELECT FROM unnest() per chunk of clients (with their `client.created` events), one UPDATE,
// one INSERT of contacts, one append to search texts. Each column travels as one array literal.

/** The columns an import writes, each sent as one array per chunk. */
export type ClientRow = Pick<
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
export const INSERT_SQL = `
  WITH inserted AS (
    INSERT INTO clients (tenant_id, ${RECORD}, sales_rep_id, created_at, updated_at)
    SELECT $1::uuid, ${COLUMNS.map(([, column]) => value(column)).join(', ')}, ${SALES_REP}, $2::timestamptz, $2::timestamptz
    FROM unnest(${ARRAYS}) AS u(${RECORD}))
  INSERT INTO outbox_events (id, tenant_id, client_id, type, payload, occurred_at, trace_parent)
  SELECT e.event_id, $1::uuid, e.id, 'client.created',
         jsonb_build_object('clientId', e.id, 'kind', e.kind, 'displayName', e.display_name, 'salesRepId', ${SALES_REP}, 'imported', true), $2::timestamptz, ${TRACE_PARENT}
  FROM unnest(${param('id')}::uuid[], ${param('kind')}::client_kind[], ${param('displayName')}::text[], $${COLUMNS.length + 3}::uuid[]) AS e(id, kind, display_name, event_id)`;

export const UPDATE_SQL = `
  UPDATE clients c SET ${COLUMNS.filter(([key]) => key !== 'id').map(([, column]) => `${column} = ${value(column)}`).join(', ')}, updated_at = $2::timestamptz
  FROM unnest(${ARRAYS}) AS u(${RECORD})
  WHERE c.tenant_id = $1::uuid AND c.id = u.id`;

/** A contact's columns, each sent as one array per chunk (`ContactRow`). */
export const CONTACT_COLUMNS = [
  ['id', 'id', 'uuid'], ['clientId', 'client_id', 'uuid'], ['civility', 'civility', 'text'], ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'], ['role', 'role', 'text'], ['email', 'email', 'text'], ['phone', 'phone', 'text'], ['mobile', 'mobile', 'text'],
] as const;
export type ContactRow = Record<(typeof CONTACT_COLUMNS)[number][0], string | null>;

// A statement of its own after the clients': the contacts' policy checks that each one's client
// is visible, and rows inserted by the same statement are not.
export const CONTACT_INSERT_SQL = `
  INSERT INTO client_contacts (tenant_id, ${CONTACT_COLUMNS.map(([, c]) => c).join(', ')}, created_at, updated_at)
  SELECT $1::uuid, ${CONTACT_COLUMNS.map(([, c]) => `u.${c}`).join(', ')}, $2::timestamptz, $2::timestamptz
  FROM unnest(${CONTACT_COLUMNS.map(([, , type], i) => `$${i + 3}::${type}[]`).join(', ')}) AS u(${CONTACT_COLUMNS.map(([, c]) => c).join(', ')})`;

// Contacts added to a company written by an earlier row: its search text gains their terms
// (what `derivedColumns` would append for them, folded the same way).
export const SEARCH_APPEND_SQL = `
  UPDATE clients c SET search_text = c.search_text || ' ' || u.terms, updated_at = $2::timestamptz
  FROM unnest($3::uuid[], $4::text[]) AS u(id, terms)
  WHERE c.tenant_id = $1::uuid AND c.id = u.id`;

/** What an array literal's element must be quoted for: array syntax, white space, '' or the word NULL. */
const NEEDS_QUOTES = /[\s{}",\\]|^$|^null$/i;

/**
 * An array literal's element: NULL, the text as it is when it can be (ids, dates, most names
 * and emails: fewer bytes to send, nothing for the driver to escape), or quoted with `"` and
 * `\` escaped, as PostgreSQL's own array output does.
 */
export function element(v: string | number | boolean | Date | null | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  const text = v instanceof Date ? v.toISOString() : String(v);
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${/["\\]/.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
}

/** The chunk's rows as one array literal per column; `withEventIds` adds each new client's `client.created` event id. */
export function columnArrays(rows: ClientRow[], withEventIds = false): string[] {
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


/** The chunk's contacts as one array literal per column. */
export const contactArrays = (rows: ContactRow[]) => CONTACT_COLUMNS.map(([key]) => `{${rows.map((r) => element(r[key])).join(',')}}`);

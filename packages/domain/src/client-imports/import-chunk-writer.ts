import { activeTraceParent, type ClientContact, type Tx } from '@crm/db';
import type { TContactFields } from '../clients/clients.schema.ts';
import { nextTurn, YIELD_EVERY, type ErrorCollector, type ImportDecisions, type Timed, type ValidatedChunk } from './plan-client-import.ts';
import { contactRow, contactTerms, newClientRow, sameContact, updatedClientRow } from './import-rows.ts';
import {
  columnArrays,
  contactArrays,
  CONTACT_INSERT_SQL,
  element,
  INSERT_SQL,
  SEARCH_APPEND_SQL,
  UPDATE_SQL,
  type ClientRow,
  type ContactRow,
} from './import-statements.ts';

/** One planned chunk, encoded and ready for the database. */
export interface EncodedChunk {
  rows: number;
  /** The new clients as one array literal per column (with their event ids), null when none. */
  inserts: string[] | null;
  insertCount: number;
  contacts: ContactRow[];
  /** Companies created by an earlier row whose search text gains contacts' terms. */
  appended: Map<string, string>;
  updates: ImportDecisions['updates'];
  /** Contacts for clients that existed before the import. */
  existingContacts: { clientId: string; contact: TContactFields }[];
}

/**
 * A planned chunk as the writer sends it: new clients and contacts as table rows encoded per
 * column (yielding to the event loop every YIELD_EVERY rows), contacts of companies created by
 * an earlier row added and appended to their search text.
 */
export async function encodeChunk(chunk: ValidatedChunk, now: Date): Promise<EncodedChunk> {
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
  return { rows: chunk.rows, inserts, insertCount: rows.length, contacts, appended, updates: chunk.updates, existingContacts };
}

/**
 * The database side of a client import, in the import's transaction: each chunk's clients (with
 * their events), their contacts, then its updates, counted as they are written.
 */
export class ImportChunkWriter {
  insertedRows = 0;
  updatedRows = 0;
  insertedContacts = 0;
  skippedRows = 0;
  processedRows = 0;

  constructor(
    private readonly tx: Tx,
    private readonly context: {
      tenantId: string;
      now: Date;
      /** The rep every new client goes to (a scoped importer's own), null for none. */
      salesRepId: string | null;
      errors: ErrorCollector;
      timed: Timed;
      onProgress: (processedRows: number) => void;
    },
  ) {}

  async write(chunk: EncodedChunk): Promise<void> {
    const { tx, context } = this;
    const { tenantId, now, timed } = context;
    if (chunk.inserts) {
      await timed(tx.$executeRawUnsafe(INSERT_SQL, tenantId, now.toISOString(), ...chunk.inserts, context.salesRepId, activeTraceParent()));
      this.insertedRows += chunk.insertCount;
    }
    const contacts = chunk.contacts;
    if (chunk.updates.length > 0 || chunk.existingContacts.length > 0) {
      for (const row of await this.updateExisting(chunk)) contacts.push(row);
    }
    if (contacts.length > 0) {
      await timed(tx.$executeRawUnsafe(CONTACT_INSERT_SQL, tenantId, now.toISOString(), ...contactArrays(contacts)));
      this.insertedContacts += contacts.length;
    }
    const entries = [...chunk.appended].filter(([, terms]) => terms !== '');
    if (entries.length > 0) {
      await timed(tx.$executeRawUnsafe(SEARCH_APPEND_SQL, tenantId, now.toISOString(), `{${entries.map(([id]) => id).join(',')}}`, `{${entries.map(([, t]) => element(t)).join(',')}}`));
    }
    this.processedRows += chunk.rows;
    context.onProgress(this.processedRows);
  }

  /** The chunk's updates of existing clients; returns the contacts to add to them. */
  private async updateExisting(chunk: EncodedChunk): Promise<ContactRow[]> {
    const { tx, context } = this;
    const { tenantId, now, timed, errors } = context;
    const ids = [...new Set([...chunk.updates.map((u) => u.clientId), ...chunk.existingContacts.map((c) => c.clientId)])];
    const [clients, known] = await Promise.all([
      timed(tx.client.findMany({ where: { tenantId, id: { in: ids } } })),
      timed(tx.clientContact.findMany({ where: { tenantId, clientId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })),
    ]);
    const current = new Map(clients.map((c) => [c.id, c]));
    const contactsOf = new Map<string, ClientContact[]>();
    for (const k of known) contactsOf.set(k.clientId, [...(contactsOf.get(k.clientId) ?? []), k]);
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
    const added = await this.contactsOfExisting(wanted, contactsOf);
    const rows: ClientRow[] = [];
    for (const { row, clientId } of chunk.updates) {
      const merged = updatedClientRow(current.get(clientId)!, row.input, row.given, contactsOf.get(clientId) ?? [], now);
      if ('message' in merged) {
        errors.add([{ row: row.row, ...merged }]);
        this.skippedRows++;
      } else rows.push(merged);
    }
    if (rows.length > 0) await timed(tx.$executeRawUnsafe(UPDATE_SQL, tenantId, now.toISOString(), ...columnArrays(rows)));
    this.updatedRows += rows.length;
    // Contacts of existing companies not updated by this chunk: their search text gains them.
    const updatedHere = new Set(rows.map((r) => r.id));
    for (const c of chunk.existingContacts) {
      if (!updatedHere.has(c.clientId) && current.get(c.clientId)?.kind === 'company') {
        chunk.appended.set(c.clientId, [chunk.appended.get(c.clientId), contactTerms(c.contact)].filter(Boolean).join(' '));
      }
    }
    return added;
  }

  /** Contacts for clients that exist already: the same person (by name) is updated, anyone else added. */
  private async contactsOfExisting(wanted: { clientId: string; contact: TContactFields }[], current: Map<string, ClientContact[]>): Promise<ContactRow[]> {
    const { tenantId, now, timed } = this.context;
    const added: ContactRow[] = [];
    for (const { clientId, contact } of wanted) {
      const known = current.get(clientId) ?? [];
      const same = known.find((k) => sameContact(k, contact));
      if (!same) {
        added.push(contactRow(clientId, contact));
        known.push({ ...contactRow(clientId, contact), tenantId, createdAt: now, updatedAt: now } as ClientContact);
        current.set(clientId, known);
        continue;
      }
      const changes: Partial<Record<'civility' | 'role' | 'email' | 'phone' | 'mobile', string>> = {};
      for (const key of ['civility', 'role', 'email', 'phone', 'mobile'] as const) if (contact[key]) changes[key] = contact[key];
      if (Object.keys(changes).length > 0) {
        Object.assign(same, changes);
        await timed(this.tx.clientContact.update({ where: { id: same.id }, data: changes, select: { id: true } }));
      }
    }
    return added;
  }
}

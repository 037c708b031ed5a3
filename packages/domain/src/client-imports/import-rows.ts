import { newId, type Client } from '@crm/db';
import { clientColumns, missingName } from '../clients/client-fields.ts';
import { derivedColumns, type ContactSearchTerms } from '../clients/client-view.ts';
import { fold } from '../shared/text.ts';
import type { TContactFields, TCreateClientInput } from '../clients/clients.schema.ts';
import type { ImportField } from './import-fields.ts';
import type { ClientRow, ContactRow } from './import-statements.ts';

// A file's row as the table rows an import writes: a new client, an existing client with the
// file's fields, a contact; the same column rules as the client form (`clientColumns`).

export const contactRow = (clientId: string, c: TContactFields): ContactRow => ({
  id: newId(), clientId, civility: c.civility ?? null, firstName: c.firstName || null, lastName: c.lastName || null,
  role: c.role || null, email: c.email ?? null, phone: c.phone ?? null, mobile: c.mobile ?? null,
});
/** The terms a contact adds to its company's search text (as `derivedColumns` folds them). */
export const contactTerms = (c: ContactSearchTerms) => derivedColumns({ kind: 'company', companyName: '' }, [c]).searchText;
export const sameContact = (a: { firstName?: string | null; lastName?: string | null }, b: typeof a) =>
  fold(`${a.lastName ?? ''}|${a.firstName ?? ''}`) === fold(`${b.lastName ?? ''}|${b.firstName ?? ''}`);

/**
 * A new client's row: the form's column rules (`clientColumns`), the table's defaults for what
 * they leave out, and the derived columns. Written as one literal of every column, so the
 * hundred thousand rows of an import share one object shape.
 */
export function newClientRow(id: string, input: TCreateClientInput, contact: TContactFields | null, now: Date): ClientRow {
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
export function updatedClientRow(
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


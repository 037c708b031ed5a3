// Which client an import row makes, and who it names as a company's contact: pure rules
// (no schema, no phone library), shared by the import's validation and the wizard's preview
// (`@crm/domain/browser`), so what the preview announces is what the import does.
import { fold } from '../shared/text.ts';
import type { ImportField, ImportMapping } from './import-fields.ts';

export const IMPORT_KINDS: Readonly<Record<string, 'person' | 'company'>> = {
  particulier: 'person', personne: 'person', person: 'person', individual: 'person', 'personne physique': 'person',
  entreprise: 'company', societe: 'company', company: 'company', professionnel: 'company', pro: 'company', 'personne morale': 'company', business: 'company',
};

export type RowCells = Partial<Record<ImportField, string>>;

/** The contact's own columns: they win over a company row's person columns. */
export const CONTACT_FIELDS = ['contactFirstName', 'contactLastName', 'contactRole', 'contactEmail', 'contactPhone'] as const satisfies readonly ImportField[];

/**
 * A row's kind: its type column when it has one (a value outside the known words is kept, for
 * the schema to refuse), else a company when it has a company name, a SIRET or a SIREN.
 */
export function rowKind(cells: RowCells): string {
  if (cells.kind !== undefined) return IMPORT_KINDS[fold(cells.kind)] ?? cells.kind;
  return cells.companyName || cells.siret || cells.siren ? 'company' : 'person';
}

/** Contact field -> the import field it is read from. */
export type ContactSource = Partial<Record<'civility' | 'firstName' | 'lastName' | 'role' | 'email' | 'phone' | 'mobile', ImportField>>;

/**
 * Where a company row's contact comes from: its own name columns if the row fills one, else the
 * row's person columns; its e-mail and phone from its own columns when the file maps one, else
 * the row's e-mail and phones (the company keeps them too). Null when the row names nobody and
 * gives nothing only a contact has.
 */
export function contactSource(cells: RowCells, detailsMapped: boolean): ContactSource | null {
  const own = cells.contactFirstName !== undefined || cells.contactLastName !== undefined;
  const source: ContactSource = own ? { firstName: 'contactFirstName', lastName: 'contactLastName' } : { firstName: 'firstName', lastName: 'lastName' };
  source.civility = 'civility';
  source.role = 'contactRole';
  Object.assign(source, detailsMapped ? { email: 'contactEmail', phone: 'contactPhone' } : { email: 'email', phone: 'phone', mobile: 'mobile' });
  const named = cells[source.firstName!] !== undefined || cells[source.lastName!] !== undefined || CONTACT_FIELDS.some((f) => cells[f] !== undefined);
  return named ? source : null;
}

/** Whether the mapping gives the contacts e-mails or phones of their own. */
export const contactDetailsMapped = (mapping: ImportMapping) => mapping.includes('contactEmail') || mapping.includes('contactPhone');

/** What the wizard shows for a preview row: the client it makes and the contact it names. */
export function previewImportRow(mapping: ImportMapping, row: string[]): { kind: string; contact: string | null } {
  const cells: RowCells = {};
  mapping.forEach((field, i) => {
    const value = row[i]?.trim();
    if (field && value) cells[field] = value;
  });
  const kind = rowKind(cells);
  const source = kind === 'company' ? contactSource(cells, contactDetailsMapped(mapping)) : null;
  const contact = source ? [cells[source.firstName!], cells[source.lastName!]].filter(Boolean).join(' ') + (cells.contactRole ? ` (${cells.contactRole})` : '') : null;
  return { kind, contact: contact === null ? null : contact.trim() || '?' };
}

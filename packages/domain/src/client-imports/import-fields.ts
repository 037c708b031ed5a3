import { fold } from '../shared/text.ts';
import { ZContactInput, ZCreateClientInput, type TContactFields, type TCreateClientInput } from '../clients/clients.schema.ts';
import { CONTACT_FIELDS, contactDetailsMapped, contactSource, rowKind, type RowCells } from './company-rows.ts';
import type { CsvRecord } from '../shared/csv.ts';

export { CONTACT_FIELDS };

/**
 * The client fields a CSV column can fill, with the header names (French and English, folded)
 * that suggest them. The address is flat here, as in spreadsheets.
 */
export const IMPORT_FIELDS = {
  kind: ['type', 'type de client', 'kind', 'nature', 'categorie'],
  civility: ['civilite', 'civ', 'titre', 'title', 'salutation', 'civility'],
  firstName: ['prenom', 'first name', 'firstname', 'given name'],
  lastName: ['nom', 'nom de famille', 'last name', 'lastname', 'surname', 'family name', 'name'],
  companyName: ['raison sociale', 'societe', 'entreprise', 'company', 'company name', 'organisation', 'organization', 'denomination'],
  legalForm: ['forme juridique', 'legal form', 'statut juridique'],
  siren: ['siren'],
  siret: ['siret'],
  email: ['email', 'e-mail', 'mail', 'courriel', 'adresse email', 'adresse e-mail', 'email address'],
  phone: ['telephone', 'tel', 'tel fixe', 'telephone fixe', 'fixe', 'phone', 'phone number', 'landline'],
  mobile: ['mobile', 'portable', 'tel portable', 'telephone portable', 'telephone mobile', 'cell', 'mobile phone', 'gsm'],
  addressLine1: ['adresse', 'adresse 1', 'adresse ligne 1', 'rue', 'address', 'address 1', 'address line 1', 'street'],
  addressLine2: ['adresse 2', 'adresse ligne 2', 'complement', "complement d'adresse", 'address 2', 'address line 2'],
  postalCode: ['code postal', 'cp', 'postal code', 'zip', 'zip code', 'postcode'],
  city: ['ville', 'commune', 'localite', 'city', 'town'],
  country: ['pays', 'country', 'code pays'],
  birthDate: ['date de naissance', 'naissance', 'ne le', 'nee le', 'birth date', 'birthdate', 'date of birth', 'dob'],
  status: ['statut', 'etat', 'status'],
  source: ['source', 'origine', 'provenance', 'canal', 'lead source'],
  tags: ['etiquettes', 'etiquette', 'tags', 'tag', 'labels', 'mots cles'],
  marketingConsent: ['consentement', 'consentement marketing', 'optin', 'opt-in', 'opt in', 'newsletter', 'marketing consent', 'accepte la prospection'],
  notes: ['notes', 'note', 'commentaire', 'commentaires', 'remarques', 'observations', 'comments', 'comment'],
  // The person to deal with at a company (`COMPANY_ROWS` below).
  contactFirstName: ['prenom du contact', 'prenom contact', 'contact prenom', 'contact first name'],
  contactLastName: ['nom du contact', 'nom contact', 'contact nom', 'contact', 'interlocuteur', 'contact name', 'contact last name'],
  contactRole: ['fonction', 'fonction du contact', 'poste occupe', 'role', 'job title', 'qualite'],
  contactEmail: ['email du contact', 'e-mail du contact', 'email contact', 'mail contact', 'courriel du contact', 'contact email'],
  contactPhone: ['telephone du contact', 'tel du contact', 'tel contact', 'telephone contact', 'portable du contact', 'mobile du contact', 'contact phone'],
} as const;
export type ImportField = keyof typeof IMPORT_FIELDS;
export const IMPORT_FIELD_NAMES = Object.keys(IMPORT_FIELDS) as ImportField[];

/** A target field per CSV column (by position), or null to ignore the column. */
export type ImportMapping = (ImportField | null)[];

/** The mapping the wizard proposes: a header's folded name against each field's known names. */
export function suggestMapping(headers: string[]): ImportMapping {
  const taken = new Set<ImportField>();
  return headers.map((header) => {
    const name = fold(header).replace(/[_.*]/g, ' ').replace(/\s+/g, ' ').trim();
    const field = IMPORT_FIELD_NAMES.find((f) => !taken.has(f) && (IMPORT_FIELDS[f] as readonly string[]).includes(name));
    if (!field) return null;
    taken.add(field);
    return field;
  });
}

/** One problem with one row, as the report shows it (a type, not an interface: it is stored as JSON). */
export type ImportRowError = {
  row: number;
  field?: ImportField | undefined;
  column?: string | undefined;
  message: string;
};

/**
 * Company rows (the rule the wizard shows): a row is a company when its type column says so,
 * or, without a type, when it has a company name, a SIRET or a SIREN. Its person columns
 * (civility, first name, last name) then name the company's contact, not the company; the
 * "contact" columns (name, role, e-mail, phone) do too, and win over the person columns. The
 * row's e-mail and phones stay the company's; when the file maps no e-mail or phone of the
 * contact's own, the contact gets the row's too (the person named on the row is reached there).
 * A contact needs a first or last name. A person row cannot carry a contact.
 */
export interface ValidRow {
  row: number;
  input: TCreateClientInput;
  /** The company's contact named on the row. */
  contact: TContactFields | null;
  /** The fields the file gave a value for: what an update overwrites. */
  given: Set<ImportField>;
}

/** Free-text fields that spreadsheet software would run as a formula if they start with = + - @. */
const TEXT_FIELDS = new Set<ImportField>([
  'civility', 'firstName', 'lastName', 'companyName', 'legalForm', 'addressLine1', 'addressLine2', 'city', 'source', 'tags', 'notes', 'status', 'kind', 'country',
  'contactFirstName', 'contactLastName', 'contactRole',
]);
export const FORMULA_MESSAGE = 'Formule refusée : une cellule ne peut pas commencer par =, +, - ou @ (ligne ignorée)';
const isFormula = (value: string) => /^[=+\-@\t\r]/.test(value);

const CIVILITIES: Record<string, string> = { m: 'M', 'm.': 'M', mr: 'M', 'mr.': 'M', monsieur: 'M', mme: 'MME', 'mme.': 'MME', madame: 'MME', mrs: 'MME', ms: 'MME', mlle: 'MME', mademoiselle: 'MME' };
const STATUSES: Record<string, string> = { prospect: 'prospect', actif: 'active', active: 'active', inactif: 'inactive', inactive: 'inactive' };
const BOOLEANS: Record<string, boolean> = { oui: true, o: true, yes: true, y: true, vrai: true, true: true, '1': true, x: true, non: false, n: false, no: false, faux: false, false: false, '0': false };
const COUNTRIES: Record<string, string> = { france: 'FR', belgique: 'BE', suisse: 'CH', luxembourg: 'LU', monaco: 'MC', allemagne: 'DE', espagne: 'ES', italie: 'IT' };

/** "09/03/1984" (French) or "1984-03-09" to ISO; anything else is passed on for the schema to refuse. */
function isoDate(value: string): string {
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  return fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}` : value;
}

/** The contact a company row names (`contactSource`), unvalidated, with the column each field came from; null when it names nobody. */
function contactCells(cells: RowCells, detailsMapped: boolean): { raw: Record<string, unknown>; source: Partial<Record<keyof TContactFields, ImportField>> } | null {
  const source = contactSource(cells, detailsMapped);
  if (!source) return null;
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(source)) {
    const value = cells[field];
    if (value !== undefined) raw[key] = key === 'civility' ? (CIVILITIES[value.toLowerCase()] ?? value) : value;
  }
  return { raw, source };
}

const ADDRESS_PARTS: Record<string, ImportField> = { line1: 'addressLine1', line2: 'addressLine2', postalCode: 'postalCode', city: 'city', country: 'country' };

/**
 * Checks every data row with the same schema as the client form (`ZCreateClientInput`), after
 * turning spreadsheet conventions (French dates, "Oui"/"Non", "Madame", "Entreprise") into its
 * values. A cell that starts like a formula refuses its row.
 */
export function validateRows(
  records: CsvRecord[],
  headers: string[],
  mapping: ImportMapping,
): { valid: ValidRow[]; errors: ImportRowError[]; invalidRows: number } {
  const valid: ValidRow[] = [];
  const errors: ImportRowError[] = [];
  let invalidRows = 0;
  const columnOf = new Map<ImportField, number>();
  mapping.forEach((field, index) => field && columnOf.set(field, index));
  const column = (field: ImportField | undefined) => (field && columnOf.has(field) ? headers[columnOf.get(field)!] : undefined);
  const detailsMapped = contactDetailsMapped(mapping);

  for (const record of records) {
    const rowErrors: ImportRowError[] = [];
    const cells: RowCells = {};
    for (const [field, index] of columnOf) {
      const value = (record.cells[index] ?? '').trim();
      if (value === '') continue;
      if (TEXT_FIELDS.has(field) && isFormula(value)) rowErrors.push({ row: record.row, field, column: column(field), message: FORMULA_MESSAGE });
      cells[field] = value;
    }
    if (rowErrors.length > 0) {
      invalidRows++;
      errors.push(...rowErrors);
      continue;
    }
    const raw: Record<string, unknown> = {};
    const kind = rowKind(cells);
    raw.kind = kind;
    const company = kind === 'company';
    for (const field of ['companyName', 'legalForm', 'email', 'phone', 'mobile', 'source', 'notes'] as const) {
      if (cells[field] !== undefined) raw[field] = cells[field];
    }
    // A person's names are the client's; on a company row they name its contact.
    const contact = company ? contactCells(cells, detailsMapped) : null;
    if (!company) {
      if (cells.firstName !== undefined) raw.firstName = cells.firstName;
      if (cells.lastName !== undefined) raw.lastName = cells.lastName;
      const stray = CONTACT_FIELDS.find((f) => cells[f] !== undefined);
      if (stray) rowErrors.push({ row: record.row, field: stray, column: column(stray), message: 'Un contact ne s’ajoute qu’à une entreprise' });
    }
    if (cells.civility !== undefined && !company) raw.civility = CIVILITIES[cells.civility.toLowerCase()] ?? cells.civility;
    if (cells.siren !== undefined) raw.siren = cells.siren.replace(/\s/g, '');
    if (cells.siret !== undefined) raw.siret = cells.siret.replace(/\s/g, '');
    if (cells.birthDate !== undefined) raw.birthDate = isoDate(cells.birthDate);
    if (cells.status !== undefined) raw.status = STATUSES[fold(cells.status)] ?? cells.status;
    if (cells.tags !== undefined) raw.tags = [...new Set(cells.tags.split(/[,|]/).map((t) => t.trim()).filter(Boolean))];
    if (cells.marketingConsent !== undefined) {
      const consent = BOOLEANS[fold(cells.marketingConsent)];
      if (consent === undefined) rowErrors.push({ row: record.row, field: 'marketingConsent', column: column('marketingConsent'), message: 'Valeur attendue : oui ou non' });
      else raw.marketingConsent = consent;
    }
    if (cells.addressLine1 !== undefined || cells.postalCode !== undefined || cells.city !== undefined) {
      const country = cells.country === undefined ? undefined : (COUNTRIES[fold(cells.country)] ?? cells.country.toUpperCase());
      raw.address = {
        line1: cells.addressLine1 ?? '',
        line2: cells.addressLine2 ?? null,
        postalCode: cells.postalCode ?? '',
        city: cells.city ?? '',
        ...(country === undefined ? {} : { country }),
      };
    }
    const parsed = ZCreateClientInput.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [first, second] = issue.path as (string | number)[];
        const field = (first === 'address' ? ADDRESS_PARTS[String(second)] : first) as ImportField | undefined;
        rowErrors.push({ row: record.row, field, column: column(field), message: issue.message });
      }
    }
    let validContact: TContactFields | null = null;
    if (contact) {
      const checked = ZContactInput.safeParse(contact.raw);
      if (checked.success) validContact = checked.data;
      else {
        for (const issue of checked.error.issues) {
          const field = contact.source[String(issue.path[0]) as keyof TContactFields] ?? 'contactLastName';
          // The row's own e-mail or phone, given to the contact too, is reported once.
          if (!rowErrors.some((e) => e.field === field && e.message === issue.message)) rowErrors.push({ row: record.row, field, column: column(field), message: issue.message });
        }
      }
    }
    if (rowErrors.length > 0 || !parsed.success) {
      invalidRows++;
      errors.push(...rowErrors);
      continue;
    }
    const given = new Set(Object.keys(cells) as ImportField[]);
    if (company) for (const field of ['civility', 'firstName', 'lastName', ...CONTACT_FIELDS] as const) given.delete(field);
    valid.push({ row: record.row, input: parsed.data, contact: validContact, given });
  }
  return { valid, errors, invalidRows };
}

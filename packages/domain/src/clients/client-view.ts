import type { Client } from '@crm/db';
import { nationalPhone } from '../shared/french-numbering.ts';
import { fold } from '../shared/text.ts';

export { nationalPhone };



export function displayNameOf(c: { kind: string; firstName?: string | null; lastName?: string | null; companyName?: string | null }): string {
  if (c.kind === 'company') return c.companyName ?? '';
  return [c.lastName?.toUpperCase(), c.firstName].filter(Boolean).join(' ');
}

/** What a company's contact adds to its client's search text. */
export interface ContactSearchTerms {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
}

/** Phones once each, French ones as they are dialled (06..., 0690...): the list's search reads a typed +33 or +590 the same way. */
const dialled = (phone?: string | null, mobile?: string | null) =>
  phone && mobile ? [nationalPhone(phone), nationalPhone(mobile)] : phone || mobile ? [nationalPhone((phone || mobile)!)] : [];

/**
 * The derived columns, recomputed on every write from the stored fields. A company's search
 * text also holds its contacts' names, e-mails and phones, so searching for the person one
 * deals with finds their company. Every character here is trigrams to index on each write.
 */
export function derivedColumns(
  c: Parameters<typeof displayNameOf>[0] & {
    email?: string | null;
    phone?: string | null;
    mobile?: string | null;
    siret?: string | null;
    siren?: string | null;
  },
  contacts: readonly ContactSearchTerms[] = [],
) {
  const displayName = displayNameOf(c);
  const terms = [c.firstName, c.lastName, c.companyName, c.email, ...dialled(c.phone, c.mobile), c.siret ?? c.siren];
  for (const contact of contacts) terms.push(contact.firstName, contact.lastName, contact.email, ...dialled(contact.phone, contact.mobile));
  return {
    displayName,
    sortName: fold(displayName),
    searchText: fold(terms.filter(Boolean).join(' ')),
  };
}

export function toClientView(c: Client) {
  return {
    id: c.id,
    kind: c.kind,
    displayName: c.displayName,
    civility: c.civility,
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    legalForm: c.legalForm,
    siren: c.siren,
    siret: c.siret,
    vatNumber: c.vatNumber,
    email: c.email,
    phone: c.phone,
    mobile: c.mobile,
    address: c.addressLine1
      ? { line1: c.addressLine1, line2: c.addressLine2, postalCode: c.postalCode ?? '', city: c.city ?? '', country: c.country }
      : null,
    birthDate: c.birthDate?.toISOString().slice(0, 10) ?? null,
    status: c.status,
    source: c.source,
    tags: c.tags,
    marketingConsent: c.marketingConsent,
    marketingConsentAt: c.marketingConsentAt?.toISOString() ?? null,
    notes: c.notes,
    salesRepId: c.salesRepId,
    mergedIntoId: c.mergedIntoId,
    anonymisedAt: c.anonymisedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
export type ClientView = ReturnType<typeof toClientView>;

/** What a list row shows: fewer columns than the client page, so pages are light to read and send. */
export const CLIENT_LIST_COLUMNS = {
  id: true,
  kind: true,
  displayName: true,
  sortName: true,
  email: true,
  phone: true,
  mobile: true,
  city: true,
  status: true,
  tags: true,
  salesRepId: true,
  createdAt: true,
} as const;

export function toClientListItem(c: Pick<Client, keyof typeof CLIENT_LIST_COLUMNS>) {
  return {
    id: c.id,
    kind: c.kind,
    displayName: c.displayName,
    email: c.email,
    phone: c.mobile ?? c.phone,
    city: c.city,
    status: c.status,
    tags: c.tags,
    salesRepId: c.salesRepId,
    createdAt: c.createdAt.toISOString(),
  };
}
export type ClientListItem = ReturnType<typeof toClientListItem>;

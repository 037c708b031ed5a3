import type { Client, ClientContact, Tx } from '@crm/db';
import { loadClient } from '../shared/load-client.ts';
import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { derivedColumns, type ContactSearchTerms } from './client-view.ts';
import type { TAddClientContactInput, TClientContactIdInput, TClientIdInput, TContactFields, TUpdateClientContactInput } from './clients.schema.ts';

export function toContactView(c: ClientContact) {
  return {
    id: c.id,
    clientId: c.clientId,
    civility: c.civility,
    firstName: c.firstName,
    lastName: c.lastName,
    role: c.role,
    email: c.email,
    phone: c.phone,
    mobile: c.mobile,
    createdAt: c.createdAt.toISOString(),
  };
}
export type ClientContactView = ReturnType<typeof toContactView>;

const SEARCH_TERMS = { firstName: true, lastName: true, email: true, phone: true, mobile: true } as const;

/** A client's contacts as its search text holds them. */
export function contactSearchTerms(tx: Tx, tenantId: string, clientId: string): Promise<ContactSearchTerms[]> {
  return tx.clientContact.findMany({ where: { tenantId, clientId }, select: SEARCH_TERMS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/** The client's derived columns again, once its contacts changed (its search finds them). */
export async function refreshClientSearch(tx: Tx, client: Client): Promise<void> {
  const derived = derivedColumns(client, await contactSearchTerms(tx, client.tenantId, client.id));
  if (derived.searchText !== client.searchText) await tx.client.update({ where: { id: client.id }, data: { searchText: derived.searchText }, select: { id: true } });
}

/** A company the actor may see, not archived (its contacts change only then). */
async function loadCompany({ tx, actor }: TenantDeps, clientId: string, forWrite: boolean): Promise<Client> {
  const client = await loadClient({ tx, actor }, clientId);
  if (forWrite && client.kind !== 'company') throw conflict('Les contacts s’ajoutent aux entreprises', { clientId: ['Ce client est un particulier'] });
  if (forWrite && client.status === 'archived') throw conflict('Client archivé : restaurez-le pour modifier ses contacts');
  return client;
}

/** A contact, read through its client: one of a client the actor cannot see is NOT_FOUND (the table's policy). */
async function loadContact(deps: TenantDeps, contactId: string): Promise<{ contact: ClientContact; client: Client }> {
  const contact = await deps.tx.clientContact.findFirst({ where: { id: contactId, tenantId: deps.actor.tenantId } });
  if (!contact) throw notFound('Contact');
  return { contact, client: await loadCompany(deps, contact.clientId, true) };
}

/** The columns a contact's validated fields write (only the given ones). */
function contactColumns(fields: TContactFields) {
  const columns: Partial<Record<keyof TContactFields, string | null>> = {};
  for (const key of ['civility', 'firstName', 'lastName', 'role', 'email', 'phone', 'mobile'] as const) {
    if (fields[key] !== undefined) columns[key] = fields[key] || null;
  }
  return columns;
}

export async function listClientContacts(deps: TenantDeps, input: TClientIdInput): Promise<ClientContactView[]> {
  const client = await loadCompany(deps, input.clientId, false);
  const contacts = await deps.tx.clientContact.findMany({
    where: { tenantId: deps.actor.tenantId, clientId: client.id },
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
  });
  return contacts.map(toContactView);
}

export async function addClientContact(deps: TenantDeps, input: TAddClientContactInput): Promise<ClientContactView> {
  const { clientId, ...fields } = input;
  const client = await loadCompany(deps, clientId, true);
  const contact = await deps.tx.clientContact.create({ data: { ...contactColumns(fields), tenantId: deps.actor.tenantId, clientId: client.id } });
  await refreshClientSearch(deps.tx, client);
  await auditAs(deps.tx, deps.actor, { action: 'client.contact_added', entityType: 'client', entityId: client.id, data: { contactId: contact.id } });
  return toContactView(contact);
}

export async function updateClientContact(deps: TenantDeps, input: TUpdateClientContactInput): Promise<ClientContactView> {
  const { contactId, ...fields } = input;
  const { contact, client } = await loadContact(deps, contactId);
  const columns = contactColumns(fields);
  const merged = { ...contact, ...columns };
  if (!merged.firstName && !merged.lastName) throw conflict('Nom ou prénom du contact requis', { lastName: ['Nom ou prénom du contact requis'] });
  const updated = await deps.tx.clientContact.update({ where: { id: contact.id }, data: columns });
  await refreshClientSearch(deps.tx, client);
  await auditAs(deps.tx, deps.actor, { action: 'client.contact_updated', entityType: 'client', entityId: client.id, data: { contactId, fields: Object.keys(fields) } });
  return toContactView(updated);
}

export async function removeClientContact(deps: TenantDeps, input: TClientContactIdInput): Promise<{ removed: true }> {
  const { contact, client } = await loadContact(deps, input.contactId);
  await deps.tx.clientContact.delete({ where: { id: contact.id } });
  await refreshClientSearch(deps.tx, client);
  await auditAs(deps.tx, deps.actor, { action: 'client.contact_removed', entityType: 'client', entityId: client.id, data: { contactId: contact.id } });
  return { removed: true };
}

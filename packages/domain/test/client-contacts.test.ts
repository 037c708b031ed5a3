import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  addClientContact,
  anonymiseClient,
  archiveClient,
  createClient,
  exportClientData,
  listClientContacts,
  listClients,
  mergeClients,
  removeClientContact,
  updateClient,
  updateClientContact,
  ZAddClientContactInput,
  ZAnonymiseClientInput,
  ZCreateClientInput,
  ZListClientsInput,
  ZUpdateClientContactInput,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, ownerTenant } from './harness.ts';

async function tenant() {
  const t = await ownerTenant();
  const create = async (input: Record<string, unknown>) => (await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ ignoreDuplicates: true, ...input })))).client!;
  const add = (input: Record<string, unknown>) => t.run((deps) => addClientContact(deps, ZAddClientContactInput.parse(input)));
  const list = (clientId: string) => t.run((deps) => listClientContacts(deps, { clientId }));
  const search = async (text: string) => (await t.run((deps) => listClients(deps, ZListClientsInput.parse({ search: text })))).items.map((c) => c.displayName);
  return { ...t, create, add, list, search };
}

const failure = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: { code?: string; message?: string; fieldErrors?: unknown }) => ({ code: e.code, message: e.message, fieldErrors: e.fieldErrors }));

describe('contacts of a company', () => {
  it('adds, lists, updates and removes a company’s contacts; a search by a contact finds the company', async () => {
    const t = await tenant();
    const acme = await t.create({ kind: 'company', companyName: 'Acme Énergie', siret: '73282932000074', email: 'contact@acme.test', phone: '01 42 68 53 00' });
    const marie = await t.add({ clientId: acme.id, civility: 'MME', firstName: 'Marie', lastName: 'Dupré', role: 'Directrice administrative', email: 'Direction@Acme.TEST', phone: '0690 12 34 56' });
    expect(marie).toMatchObject({ clientId: acme.id, firstName: 'Marie', lastName: 'Dupré', role: 'Directrice administrative', email: 'direction@acme.test', phone: '+590690123456' });
    const paul = await t.add({ clientId: acme.id, firstName: 'Paul', lastName: 'Bernard', mobile: '06 12 34 56 78' });
    expect((await t.list(acme.id)).map((c) => c.lastName)).toEqual(['Bernard', 'Dupré']);
    // The company is found by its people's names, e-mails and phones, without accents.
    expect(await t.search('dupre')).toEqual(['Acme Énergie']);
    expect(await t.search('direction@acme')).toEqual(['Acme Énergie']);
    expect(await t.search('0690 12 34')).toEqual(['Acme Énergie']);
    expect(await t.search('Paul Bernard')).toEqual(['Acme Énergie']);
    // Updating the company keeps its contacts in its search.
    await t.run((deps) => updateClient(deps, { clientId: acme.id, notes: 'Client fidèle' }));
    expect(await t.search('dupre')).toEqual(['Acme Énergie']);

    const renamed = await t.run((deps) => updateClientContact(deps, ZUpdateClientContactInput.parse({ contactId: marie.id, lastName: 'Leroy', role: 'Gérante' })));
    expect(renamed).toMatchObject({ firstName: 'Marie', lastName: 'Leroy', role: 'Gérante', phone: '+590690123456' });
    expect(await t.search('dupre')).toEqual([]);
    expect(await t.search('leroy')).toEqual(['Acme Énergie']);
    expect(await failure(t.run((deps) => updateClientContact(deps, ZUpdateClientContactInput.parse({ contactId: paul.id, firstName: null, lastName: null }))))).toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { lastName: ['Nom ou prénom du contact requis'] },
    });
    await t.run((deps) => removeClientContact(deps, { contactId: paul.id }));
    expect((await t.list(acme.id)).map((c) => c.lastName)).toEqual(['Leroy']);
    expect(await t.search('bernard')).toEqual([]);
    const audit = await t.run(({ tx }) => tx.auditLog.findMany({ where: { entityId: acme.id }, select: { action: true }, orderBy: { createdAt: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['client.contact_added', 'client.contact_updated', 'client.contact_removed']));
  });

  it('refuses a contact without a name, on a person, on an archived company, with French messages', async () => {
    const t = await tenant();
    const person = await t.create({ kind: 'person', lastName: 'Martin' });
    const company = await t.create({ kind: 'company', companyName: 'Boulangerie Martin' });
    expect(() => ZAddClientContactInput.parse({ clientId: company.id, role: 'Gérant' })).toThrow('Nom ou prénom du contact requis');
    expect(() => ZAddClientContactInput.parse({ clientId: company.id, lastName: 'X', phone: '0690 12' })).toThrow('Numéro de téléphone invalide');
    expect(await failure(t.add({ clientId: person.id, lastName: 'Durand' }))).toMatchObject({ code: 'CONFLICT', message: 'Les contacts s’ajoutent aux entreprises' });
    await t.run((deps) => archiveClient(deps, { clientId: company.id }));
    expect(await failure(t.add({ clientId: company.id, lastName: 'Durand' }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('hides contacts with their client: another tenant, and a sales rep outside the client’s scope, get NOT_FOUND and see no row', async () => {
    const a = await tenant();
    const b = await tenant();
    const bCompany = await b.create({ kind: 'company', companyName: 'Société B' });
    const bContact = await b.add({ clientId: bCompany.id, lastName: 'Contact B' });
    for (const attempt of [
      () => a.list(bCompany.id),
      () => a.add({ clientId: bCompany.id, lastName: 'Intrus' }),
      () => a.run((deps) => updateClientContact(deps, { contactId: bContact.id, lastName: 'Intrus' })),
      () => a.run((deps) => removeClientContact(deps, { contactId: bContact.id })),
    ]) {
      expect(await failure(attempt())).toMatchObject({ code: 'NOT_FOUND' });
    }

    // A sales member sees the contacts of their rep's clients only, whatever the query.
    const salesUser = (await newTenant(a.auth, 'Ailleurs')).userId;
    const salesMember = await a.run(({ tx }) => tx.membership.create({ data: { tenantId: a.owner.tenantId, userId: salesUser, role: 'sales' } }));
    const { mine, theirs } = await a.run(async ({ tx }) => {
      const myRep = await tx.salesRep.create({ data: { tenantId: a.owner.tenantId, userId: salesUser, code: 'R1', firstName: 'Sam', lastName: 'Vendeur' } });
      const otherRep = await tx.salesRep.create({ data: { tenantId: a.owner.tenantId, code: 'R2', firstName: 'Autre', lastName: 'Vendeur' } });
      const row = (name: string, salesRepId: string) =>
        tx.client.create({ data: { tenantId: a.owner.tenantId, kind: 'company', companyName: name, displayName: name, sortName: name.toLowerCase(), searchText: name.toLowerCase(), salesRepId } });
      return { mine: await row('Client de Sam', myRep.id), theirs: await row('Client des autres', otherRep.id) };
    });
    await a.add({ clientId: mine.id, lastName: 'Contact de Sam' });
    const hidden = await a.add({ clientId: theirs.id, lastName: 'Contact caché' });
    const asSales = <R>(f: (deps: TenantDeps) => Promise<R>) =>
      withTenant(a.auth.db, a.owner.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: salesUser, tenantId: a.owner.tenantId, memberId: salesMember.id, role: 'sales' } }), { userId: salesUser });
    expect((await asSales((deps) => listClientContacts(deps, { clientId: mine.id }))).map((c) => c.lastName)).toEqual(['Contact de Sam']);
    for (const attempt of [
      () => asSales((deps) => listClientContacts(deps, { clientId: theirs.id })),
      () => asSales((deps) => addClientContact(deps, { clientId: theirs.id, lastName: 'Intrus' })),
      () => asSales((deps) => updateClientContact(deps, { contactId: hidden.id, lastName: 'Intrus' })),
      () => asSales((deps) => removeClientContact(deps, { contactId: hidden.id })),
    ]) {
      expect(await failure(attempt())).toMatchObject({ code: 'NOT_FOUND' });
    }
    // The table's own policy, not only the use cases: a direct read or write of the hidden
    // client's contacts finds nothing and cannot insert.
    expect(await asSales(({ tx }) => tx.clientContact.findMany({ select: { lastName: true } }))).toEqual([{ lastName: 'Contact de Sam' }]);
    expect(await asSales(({ tx }) => tx.clientContact.updateMany({ where: { id: hidden.id }, data: { lastName: 'Intrus' } }))).toEqual({ count: 0 });
    await expect(asSales(({ tx }) => tx.clientContact.create({ data: { tenantId: a.owner.tenantId, clientId: theirs.id, lastName: 'Intrus' } }))).rejects.toThrow();
  });

  it('follows its company through the GDPR export, anonymisation and a merge', async () => {
    const t = await tenant();
    const kept = await t.create({ kind: 'company', companyName: 'Acme', siret: '73282932000074' });
    const duplicate = await t.create({ kind: 'company', companyName: 'ACME SAS' });
    await t.add({ clientId: duplicate.id, firstName: 'Léa', lastName: 'Durand', email: 'lea@acme.test' });

    const exported = await t.run((deps) => exportClientData(deps, { clientId: duplicate.id }));
    expect(exported.related.client_contacts).toEqual([expect.objectContaining({ first_name: 'Léa', last_name: 'Durand', email: 'lea@acme.test' })]);

    const { moved } = await t.run((deps) => mergeClients(deps, { sourceClientId: duplicate.id, targetClientId: kept.id }));
    expect(moved).toMatchObject({ client_contacts: 1 });
    expect((await t.list(kept.id)).map((c) => c.lastName)).toEqual(['Durand']);
    expect(await t.search('lea durand')).toEqual(['Acme']);

    await t.run((deps) => anonymiseClient(deps, ZAnonymiseClientInput.parse({ clientId: kept.id, confirm: true })));
    const [contact] = await t.run(({ tx }) => tx.clientContact.findMany({ where: { clientId: kept.id } }));
    expect(contact).toMatchObject({ firstName: null, lastName: 'ANONYMISÉ', email: null, phone: null, mobile: null, role: null });
    const client = await t.run(({ tx }) => tx.client.findFirstOrThrow({ where: { id: kept.id } }));
    expect(client.searchText).not.toContain('durand');
  });
});

import { describe, expect, it } from 'vitest';
import {
  addClientContact,
  createClient,
  dryRunClientImport,
  getClientImport,
  listClients,
  runClientImport,
  startClientImport,
  systemClock,
  uploadClientImport,
  ZCreateClientInput,
  ZDryRunClientImportInput,
  ZListClientsInput,
  type ImportMapping,
} from '../src/index.ts';
import { ownerTenant } from './harness.ts';

async function tenant() {
  const { auth, owner, run } = await ownerTenant();
  const importFile = async (csv: string, policy: 'skip' | 'update' | 'create' = 'skip', options: { chunkSize?: number; mapping?: ImportMapping } = {}) => {
    const uploaded = await run((deps) => uploadClientImport(deps, { fileName: 'clients.csv', content: Buffer.from(csv) }));
    const mapping = options.mapping ?? uploaded.suggestedMapping;
    const report = await run((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId: uploaded.id, mapping, duplicatePolicy: policy })));
    await run((deps) => startClientImport(deps, { importId: uploaded.id }));
    let result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId: owner.tenantId, importId: uploaded.id }, options);
    while (result.outcome === 'busy') result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId: owner.tenantId, importId: uploaded.id }, options);
    return { uploaded, report, result, final: await run((deps) => getClientImport(deps, { importId: uploaded.id })) };
  };
  const clients = () =>
    run(({ tx }) =>
      tx.client.findMany({
        where: { tenantId: owner.tenantId },
        orderBy: { sortName: 'asc' },
        include: { contacts: { orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }] } },
      }),
    );
  const search = async (text: string) => (await run((deps) => listClients(deps, ZListClientsInput.parse({ search: text })))).items.map((c) => c.displayName);
  return { owner, run, importFile, clients, search };
}

const contact = (c: { firstName: string | null; lastName: string | null; civility?: string | null; role?: string | null; email?: string | null; phone?: string | null; mobile?: string | null }) => ({
  civility: c.civility ?? null, firstName: c.firstName, lastName: c.lastName, role: c.role ?? null, email: c.email ?? null, phone: c.phone ?? null, mobile: c.mobile ?? null,
});
const contactsOf = (c: { contacts: Parameters<typeof contact>[0][] }) => c.contacts.map(contact);

describe('client import: companies and their contacts', () => {
  it('keeps a company row that names a person a company, and makes the person its contact (with the row’s e-mail and phone)', async () => {
    const t = await tenant();
    const csv = [
      'Raison sociale;SIRET;Civilité;Prénom;Nom;Email;Téléphone',
      'Boulangerie Martin;732 829 320 00074;M.;Jean;Dupont;jean.dupont@martin.test;0590 82 12 34',
      ';;Mme;Alice;Durand;alice@durand.test;06 12 34 56 78',
      'Garage Leroy;;;;;garage@leroy.test;',
    ].join('\n');
    const { uploaded, report, final } = await t.importFile(csv);
    expect(uploaded.suggestedMapping).toEqual(['companyName', 'siret', 'civility', 'firstName', 'lastName', 'email', 'phone']);
    expect(report).toMatchObject({ toInsert: 3, toSkip: 0, contacts: 1, invalidRows: 0 });
    expect(final).toMatchObject({ status: 'succeeded', insertedRows: 3, insertedContacts: 1 });
    const [martin, alice, leroy] = await t.clients();
    expect(martin).toMatchObject({ kind: 'company', displayName: 'Boulangerie Martin', companyName: 'Boulangerie Martin', siret: '73282932000074', firstName: null, lastName: null, civility: null, email: 'jean.dupont@martin.test', phone: '+590590821234' });
    expect(contactsOf(martin!)).toEqual([contact({ civility: 'M', firstName: 'Jean', lastName: 'Dupont', email: 'jean.dupont@martin.test', phone: '+590590821234' })]);
    expect(alice).toMatchObject({ kind: 'person', displayName: 'DURAND Alice', civility: 'MME', contacts: [] });
    expect(leroy).toMatchObject({ kind: 'company', displayName: 'Garage Leroy', contacts: [] });
    // The company is found by its contact's name.
    expect(await t.search('dupont')).toEqual(['Boulangerie Martin']);
  });

  it('gives a company row’s own contact columns to the contact, and the row’s e-mail and phone to the company', async () => {
    const t = await tenant();
    const csv = [
      'Société;Email;Téléphone;Nom du contact;Prénom du contact;Fonction;Email du contact;Téléphone du contact',
      'Acme;accueil@acme.test;01 42 68 53 00;Leroy;Marie;Directrice administrative;marie@acme.test;0696 45 67 89',
    ].join('\n');
    const { uploaded, final } = await t.importFile(csv);
    expect(uploaded.suggestedMapping).toEqual(['companyName', 'email', 'phone', 'contactLastName', 'contactFirstName', 'contactRole', 'contactEmail', 'contactPhone']);
    expect(final).toMatchObject({ insertedRows: 1, insertedContacts: 1 });
    const [acme] = await t.clients();
    expect(acme).toMatchObject({ kind: 'company', email: 'accueil@acme.test', phone: '+33142685300' });
    expect(contactsOf(acme!)).toEqual([contact({ firstName: 'Marie', lastName: 'Leroy', role: 'Directrice administrative', email: 'marie@acme.test', phone: '+596696456789' })]);
  });

  it('follows the type column: a company by its type keeps its kind and gets the contact; a person row cannot carry a contact', async () => {
    const t = await tenant();
    const csv = [
      'Type;Entreprise;Nom;Prénom;Fonction',
      'Entreprise;Transports Petit;Petit;Luc;Gérant',
      'Particulier;;Moreau;Claire;Comptable',
      'Particulier;Employeur SA;Robert;Paul;',
    ].join('\n');
    const { report, final } = await t.importFile(csv);
    expect(report.errors).toEqual([{ row: 3, field: 'contactRole', column: 'Fonction', message: 'Un contact ne s’ajoute qu’à une entreprise' }]);
    expect(final).toMatchObject({ insertedRows: 2, insertedContacts: 1 });
    const byName = Object.fromEntries((await t.clients()).map((c) => [c.displayName, c]));
    expect(contactsOf(byName['Transports Petit']!)).toEqual([contact({ firstName: 'Luc', lastName: 'Petit', role: 'Gérant' })]);
    expect(byName['ROBERT Paul']).toMatchObject({ kind: 'person', companyName: 'Employeur SA', contacts: [] });
  });

  it('adds the people of a company listed one per row to that one company, the same whole or in chunks', async () => {
    const csv = [
      'Raison sociale;SIRET;Prénom;Nom;Fonction;Email du contact',
      'Acme;73282932000074;Marie;Leroy;Directrice;marie@acme.test',
      'Acme;73282932000074;Paul;Bernard;Comptable;paul@acme.test',
      'Autre SARL;;Léa;Durand;;lea@autre.test',
      'ACME SAS;73282932000074;Marie;Leroy;Directrice;marie@acme.test', // the same person again
      'Acme;73282932000074;Zoé;Martin;Achats;zoe@acme.test',
      'Acme;73282932000074;;;Standard;', // a contact without a name: refused
    ].join('\n');
    for (const policy of ['skip', 'update'] as const) {
      for (const chunkSize of [5_000, 2, 1]) {
        const t = await tenant();
        const { report, final } = await t.importFile(csv, policy, { chunkSize });
        const label = `${policy}, chunks of ${chunkSize}`;
        expect(report, label).toMatchObject({ toInsert: 2, toUpdate: 0, toAddContact: 2, toSkip: 1, contacts: 4, invalidRows: 1 });
        expect(report.errors, label).toEqual([{ row: 7, field: 'lastName', column: 'Nom', message: 'Nom ou prénom du contact requis' }]);
        expect(final, label).toMatchObject({ insertedRows: 2, updatedRows: 0, skippedRows: 1, insertedContacts: 4 });
        const [acme, autre] = await t.clients();
        expect(acme!.contacts.map((c) => [c.firstName, c.lastName, c.role, c.email]), label).toEqual([
          ['Paul', 'Bernard', 'Comptable', 'paul@acme.test'],
          ['Marie', 'Leroy', 'Directrice', 'marie@acme.test'],
          ['Zoé', 'Martin', 'Achats', 'zoe@acme.test'],
        ]);
        expect(autre!.contacts.map((c) => c.lastName), label).toEqual(['Durand']);
        // Each contact, added in whichever chunk, finds its company.
        for (const name of ['leroy', 'bernard', 'zoe martin']) expect(await t.search(name), label).toEqual(['Acme']);
      }
    }
  });

  it('under "update", adds new people to an existing company and updates the ones it already has', async () => {
    const t = await tenant();
    const { client: acme } = await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'company', companyName: 'Acme', siret: '73282932000074' })));
    await t.run((deps) => addClientContact(deps, { clientId: acme!.id, firstName: 'Marie', lastName: 'Leroy', role: 'Assistante' }));
    const csv = ['Raison sociale;SIRET;Prénom;Nom;Fonction', 'Acme Énergie;73282932000074;Marie;LEROY;Directrice', 'Acme;73282932000074;Paul;Bernard;Comptable'].join('\n');
    const { report, final } = await t.importFile(csv, 'update');
    expect(report).toMatchObject({ toInsert: 0, toUpdate: 1, toAddContact: 1, contacts: 2 });
    expect(final).toMatchObject({ updatedRows: 1, insertedContacts: 1 });
    const [updated] = await t.clients();
    expect(updated).toMatchObject({ id: acme!.id, companyName: 'Acme Énergie' });
    expect(updated!.contacts.map((c) => [c.firstName, c.lastName, c.role])).toEqual([
      ['Paul', 'Bernard', 'Comptable'],
      ['Marie', 'Leroy', 'Directrice'],
    ]);
    expect(await t.search('bernard')).toEqual(['Acme Énergie']);
  });
});

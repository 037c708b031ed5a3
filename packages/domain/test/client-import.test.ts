import { randomBytes } from 'node:crypto';
import { createDb, withTenant } from '@crm/db';
import { describe, expect, inject, it } from 'vitest';
import {
  createClient,
  dryRunClientImport,
  EVENT_CATALOGUE,
  getClientImport,
  listClientImports,
  listClients,
  runClientImport,
  runNextClientImport,
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
  const upload = (content: Uint8Array | string, fileName = 'clients.csv') =>
    run((deps) => uploadClientImport(deps, { fileName, content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content }));
  const dryRun = (importId: string, mapping: ImportMapping, duplicatePolicy: 'skip' | 'update' | 'create' = 'skip') =>
    run((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId, mapping, duplicatePolicy })));
  const get = (importId: string) => run((deps) => getClientImport(deps, { importId }));
  /**
   * Runs a queued import in the foreground. A worker started by another test file may claim it
   * first (same database): then wait for that run, so assertions are on the import's final state.
   */
  const runNow = async (importId: string, options: { chunkSize?: number } = {}) => {
    for (;;) {
      const result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId: owner.tenantId, importId }, options);
      if (result.outcome !== 'busy') return result;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** Upload, dry run with the suggested mapping, start, and run in the foreground. */
  const importFile = async (content: Uint8Array | string, policy: 'skip' | 'update' | 'create' = 'skip', options: { chunkSize?: number } = {}) => {
    const uploaded = await upload(content);
    const report = await dryRun(uploaded.id, uploaded.suggestedMapping, policy);
    await run((deps) => startClientImport(deps, { importId: uploaded.id }));
    const result = await runNow(uploaded.id, options);
    return { uploaded, report, result, final: await get(uploaded.id) };
  };
  const clients = () => run(({ tx }) => tx.client.findMany({ where: { tenantId: owner.tenantId }, orderBy: { sortName: 'asc' } }));
  const createdEvents = () => run(({ tx }) => tx.outboxEvent.findMany({ where: { tenantId: owner.tenantId, type: 'client.created' } }));
  return { auth, owner, run, upload, dryRun, get, runNow, importFile, clients, createdEvents };
}

/** Windows-1252 bytes, as French Excel saves "CSV (séparateur : point-virgule)". */
function cp1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '€': 0x80, '’': 0x92, 'Œ': 0x8c, 'œ': 0x9c };
  return Uint8Array.from([...text].map((c) => extra[c] ?? (c.charCodeAt(0) < 0x100 ? c.charCodeAt(0) : 0x3f)));
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: { code?: string; message?: string; fieldErrors?: unknown }) => e);

describe('client import', () => {
  it('reads a Windows-1252 file with ";" (French Excel), suggests the mapping from French headers, imports with the form rules', async () => {
    const t = await tenant();
    const csv =
      'Civilité;Prénom;Nom;Email;Téléphone portable;Adresse;Code postal;Ville;Date de naissance;Étiquettes;Consentement\r\n' +
      'Madame;Hélène;Lefèvre;Helene.Lefevre@Example.TEST;06 12 34 56 78;5 rue des Lilas;33000;Bordeaux;09/03/1984;énergie, fidèle;Oui\r\n' +
      'M.;François;Dœuf-Çaillé;;;;;;;;\r\n';
    const bytes = cp1252(csv);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { uploaded, report, final } = await t.importFile(bytes);
    expect(uploaded).toMatchObject({ encoding: 'windows-1252', delimiter: ';', totalRows: 2 });
    expect(uploaded.headers[0]).toBe('Civilité');
    expect(uploaded.suggestedMapping).toEqual(['civility', 'firstName', 'lastName', 'email', 'mobile', 'addressLine1', 'postalCode', 'city', 'birthDate', 'tags', 'marketingConsent']);
    expect(uploaded.preview[0]![1]).toBe('Hélène');
    expect(report).toMatchObject({ totalRows: 2, validRows: 2, invalidRows: 0, toInsert: 2, errors: [] });
    expect(final).toMatchObject({ status: 'succeeded', insertedRows: 2, processedRows: 2, skippedRows: 0 });
    const [c1, c2] = await t.clients();
    expect(c2).toMatchObject({
      civility: 'MME',
      firstName: 'Hélène',
      displayName: 'LEFÈVRE Hélène',
      sortName: 'lefevre helene',
      email: 'helene.lefevre@example.test',
      mobile: '+33612345678',
      addressLine1: '5 rue des Lilas',
      postalCode: '33000',
      city: 'Bordeaux',
      country: 'FR',
      status: 'prospect',
      tags: ['énergie', 'fidèle'],
      marketingConsent: true,
      kind: 'person',
    });
    expect(c2!.birthDate!.toISOString().slice(0, 10)).toBe('1984-03-09');
    expect(c2!.marketingConsentAt).not.toBeNull();
    expect(c1).toMatchObject({ civility: 'M', displayName: 'DŒUF-ÇAILLÉ François', tags: [] });
    // Derived columns as the form writes them: accent-insensitive search finds the imported row.
    const found = await t.run((deps) => listClients(deps, ZListClientsInput.parse({ search: 'lefevre 0612345678' })));
    expect(found.items.map((c) => c.id)).toEqual([c2!.id]);
  });

  it('reads UTF-8 with a BOM and "," with quoted cells; English headers; companies by their kind or name', async () => {
    const t = await tenant();
    const csv =
      '\uFEFFType,Company,Last name,First name,Email,SIRET,Notes\n' +
      'company,"Boulangerie Martin, SARL",,,contact@martin.test,732 829 320 00074,"Livraison le mardi\nPorte de derrière"\n' +
      ',Garage Dupont,,,garage@dupont.test,,""\n' +
      'person,,Durand,Alice,alice@durand.test,,"Dit ""Lili"""\n';
    const { uploaded, final } = await t.importFile(csv);
    expect(final.status).toBe('succeeded');
    expect(uploaded).toMatchObject({ encoding: 'utf-8', delimiter: ',', headers: ['Type', 'Company', 'Last name', 'First name', 'Email', 'SIRET', 'Notes'] });
    expect(uploaded.suggestedMapping).toEqual(['kind', 'companyName', 'lastName', 'firstName', 'email', 'siret', 'notes']);
    const byName = Object.fromEntries((await t.clients()).map((c) => [c.displayName, c]));
    expect(byName['Boulangerie Martin, SARL']).toMatchObject({ kind: 'company', siret: '73282932000074', notes: 'Livraison le mardi\nPorte de derrière' });
    expect(byName['Garage Dupont']).toMatchObject({ kind: 'company' });
    expect(byName['DURAND Alice']).toMatchObject({ kind: 'person', notes: 'Dit "Lili"' });
  });

  it('reports each bad row with its row number, field and French reason, and imports the good rows', async () => {
    const t = await tenant();
    const csv = [
      'Nom;Prénom;Email;Téléphone;Code postal;Ville;Adresse;Date de naissance;Statut',
      'Martin;Jean;jean@martin.test;01 23 45 67 89;75001;Paris;1 rue de Rivoli;;actif',
      'Bernard;Luc;pas-un-email;;;;;;',
      ';Sans nom;sans.nom@test.test;;;;;;',
      'Petit;Anne;;12;;;;31/02/1990;',
      'Robert;Paul;;;9999;Lyon;2 quai;;client fidèle',
      'Moreau;Claire;claire@moreau.test;;;;;;inactif',
    ].join('\r\n');
    const uploaded = await t.upload(csv);
    const report = await t.dryRun(uploaded.id, uploaded.suggestedMapping);
    expect(report).toMatchObject({ totalRows: 6, validRows: 2, invalidRows: 4, toInsert: 2 });
    expect(report.errors).toEqual([
      { row: 3, field: 'email', column: 'Email', message: 'Email invalide' },
      { row: 4, field: 'lastName', column: 'Nom', message: 'Nom requis' },
      { row: 5, field: 'phone', column: 'Téléphone', message: 'Numéro de téléphone invalide' },
      { row: 5, field: 'birthDate', column: 'Date de naissance', message: 'Date invalide (AAAA-MM-JJ)' },
      { row: 6, field: 'postalCode', column: 'Code postal', message: 'Code postal invalide' },
      { row: 6, field: 'status', column: 'Statut', message: 'Statut inconnu' },
    ]);
    // The dry run wrote no client.
    expect(await t.clients()).toEqual([]);
    expect((await t.get(uploaded.id)).status).toBe('validated');
    await t.run((deps) => startClientImport(deps, { importId: uploaded.id }));
    await t.runNow(uploaded.id);
    const final = await t.get(uploaded.id);
    expect(final).toMatchObject({ status: 'succeeded', totalRows: 6, validRows: 2, insertedRows: 2 });
    expect(final.errors).toHaveLength(6);
    expect((await t.clients()).map((c) => [c.displayName, c.status])).toEqual([
      ['MARTIN Jean', 'active'],
      ['MOREAU Claire', 'inactive'],
    ]);
  });

  it('refuses a row with a formula cell and says so, while a phone number starting with + is fine', async () => {
    const t = await tenant();
    const csv = 'Nom;Prénom;Téléphone;Notes\nMartin;Jean;+33 1 23 45 67 89;\n"=cmd|\' /C calc\'!A0";Pirate;;\nDurand;@SUM(1+1);;\nLeroy;Marc;;-2 appels\n';
    const { report, final } = await t.importFile(csv);
    expect(report.errors).toEqual([
      { row: 3, field: 'lastName', column: 'Nom', message: expect.stringContaining('Formule refusée') as string },
      { row: 4, field: 'firstName', column: 'Prénom', message: expect.stringContaining('Formule refusée') as string },
      { row: 5, field: 'notes', column: 'Notes', message: expect.stringContaining('Formule refusée') as string },
    ]);
    expect(final).toMatchObject({ status: 'succeeded', insertedRows: 1 });
    expect((await t.clients()).map((c) => [c.displayName, c.phone])).toEqual([['MARTIN Jean', '+33123456789']]);
  });

  it('applies the duplicate policy: skip, update (empty cells keep the old value), create', async () => {
    const t = await tenant();
    const existing = await t.run((deps) =>
      createClient(deps, ZCreateClientInput.parse({ kind: 'person', lastName: 'Martin', firstName: 'Jean', email: 'jean@martin.test', address: { line1: '1 rue A', postalCode: '75001', city: 'Paris' } })),
    );
    const csv = [
      'Nom;Prénom;Email;Adresse;Code postal;Ville;Mobile',
      'Martin;Jean-Pierre;JEAN@martin.test;;;;06 11 22 33 44', // the existing client, by email
      'Durand;Alice;alice@durand.test;;;;',
      'Durand;Alice B.;alice@durand.test;;;;', // repeats the row above
    ].join('\n');

    const skip = await t.importFile(csv, 'skip');
    expect(skip.report).toMatchObject({ toInsert: 1, toUpdate: 0, toSkip: 2 });
    expect(skip.final).toMatchObject({ insertedRows: 1, updatedRows: 0, skippedRows: 2 });
    expect((await t.clients()).map((c) => c.displayName)).toEqual(['DURAND Alice', 'MARTIN Jean']);

    const update = await t.importFile(csv, 'update');
    // Alice now exists too: both rows update, the repeat is skipped.
    expect(update.final).toMatchObject({ insertedRows: 0, updatedRows: 2, skippedRows: 1 });
    const jean = (await t.clients()).find((c) => c.id === existing.client!.id)!;
    expect(jean).toMatchObject({ firstName: 'Jean-Pierre', displayName: 'MARTIN Jean-Pierre', sortName: 'martin jean-pierre', mobile: '+33611223344', city: 'Paris', addressLine1: '1 rue A' });
    expect(jean.searchText).toContain('0611223344');

    const create = await t.importFile(csv, 'create');
    expect(create.final).toMatchObject({ insertedRows: 3, updatedRows: 0, skippedRows: 0 });
    expect(await t.clients()).toHaveLength(5);
    // One client.created per inserted client (the form's one, then 1 + 0 + 3 imported), payloads as the catalogue says.
    const events = await t.createdEvents();
    expect(events).toHaveLength(5);
    for (const e of events) expect(EVENT_CATALOGUE['client.created'].safeParse(e.payload).success).toBe(true);
    // Each names its client in `client_id` too (the timeline's index), with its own id.
    for (const e of events) expect(e.clientId).toBe((e.payload as { clientId: string }).clientId);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
  });

  it('plans a file run in chunks exactly as the dry run plans it whole (repeats and matches across chunks)', async () => {
    const csv = [
      'Nom;Prénom;Email;Mobile;Étiquettes;Notes',
      'Durand;Alice;alice@durand.test;;vip;"Dit ""oui"", C:\\dossiers\\{a,b} NULL"',
      'Martin;Jean;martin@existing.test;;', // the existing client, by email
      'Petit;Null;lea@petit.test;;null', // the word NULL as a value, not a missing one
      'Durand;Alice B.;alice@durand.test;;', // repeats row 2, two chunks later with chunks of 1
      'Martin;J.;;06 11 22 33 44;', // the existing client again, by mobile: one update per client
      'Moreau;Paul;paul@moreau.test;;"a, {b} ""c"" \\ d";',
    ].join('\n');
    const expected = { skip: { insertedRows: 3, updatedRows: 0, skippedRows: 3 }, update: { insertedRows: 3, updatedRows: 1, skippedRows: 2 } };
    for (const policy of ['skip', 'update'] as const) {
      for (const chunkSize of [5_000, 2, 1]) {
        const t = await tenant();
        await t.run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'person', lastName: 'Martin', email: 'martin@existing.test', mobile: '0611223344' })));
        const { report, final } = await t.importFile(csv, policy, { chunkSize });
        const label = `${policy}, chunks of ${chunkSize}`;
        expect(final, label).toMatchObject({ insertedRows: report.toInsert, updatedRows: report.toUpdate, skippedRows: report.toSkip });
        expect(final, label).toMatchObject(expected[policy]);
        expect((await t.clients()).map((c) => [c.displayName, c.tags]), label).toEqual([
          ['DURAND Alice', ['vip']],
          [policy === 'update' ? 'MARTIN Jean' : 'MARTIN', []],
          ['MOREAU Paul', ['a', '{b} "c" \\ d']],
          ['PETIT Null', ['null']],
        ]);
        expect(await t.createdEvents(), label).toHaveLength(4); // the form's one and three imported
        expect((await t.clients())[0]!.notes, label).toBe('Dit "oui", C:\\dossiers\\{a,b} NULL');
      }
    }
  });

  it('refuses garbage with a clear French message and stores nothing', async () => {
    const t = await tenant();
    const bad = async (content: Uint8Array | string) => {
      const error = await codeOf(t.upload(content));
      return error === 'OK' ? 'OK' : `${(error as { code: string }).code}: ${(error as { message: string }).message}`;
    };
    expect(await bad(randomBytes(200_000))).toBe("BAD_REQUEST: Ce fichier n'est pas un fichier texte CSV (contenu binaire)");
    expect(await bad(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 65)]))).toContain('Fichier Excel');
    expect(await bad(Buffer.from('\uFEFFNom;Prénom\n', 'utf16le'))).toContain('UTF-16');
    expect(await bad('')).toBe('BAD_REQUEST: Fichier vide');
    const tooLarge = await codeOf(t.run((deps) => uploadClientImport(deps, { fileName: 'a.csv', content: Buffer.alloc(2 * 1024 * 1024 + 1, 'a'), maxBytes: 2 * 1024 * 1024 })));
    expect(tooLarge).toMatchObject({ code: 'BAD_REQUEST', message: 'Fichier trop volumineux : 2 Mo au plus' });
    expect(await bad(`Nom;Notes\nMartin;${'x'.repeat(1_100_000)}\n`)).toContain('Ligne trop longue');
    expect(await bad('Nom;Prénom\n"Martin;Jean\n')).toContain('Guillemet');
    expect(await bad(Buffer.from([0xef, 0xbb, 0xbf, 0x4e, 0x6f, 0x6d, 0x0a, 0xe9, 0x0a]))).toContain('Encodage invalide');
    expect(await t.run(({ tx }) => tx.clientImport.count())).toBe(0);
    // Text without any usable column: the dry run says which column is missing.
    const uploaded = await t.upload('foo;bar\n1;2\n');
    expect(uploaded.suggestedMapping).toEqual([null, null]);
    const missing = await codeOf(t.dryRun(uploaded.id, uploaded.suggestedMapping));
    expect(missing).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { mapping: [expect.stringContaining('Colonne obligatoire manquante') as string] } });
    expect(() => ZDryRunClientImportInput.parse({ importId: uploaded.id, mapping: ['lastName', 'lastName'], duplicatePolicy: 'skip' })).toThrow('une seule colonne');
    // Start before a dry run, and twice.
    await expect(t.run((deps) => startClientImport(deps, { importId: uploaded.id }))).rejects.toThrow('Lancez d’abord la simulation');
  });

  it('rolls a failing import back entirely: no client, no event, the import says it failed', async () => {
    const t = await tenant();
    // The database owner, to plant a trigger (the application role cannot).
    const owner = createDb({ url: inject('ownerDatabaseUrl'), poolSize: 1 });
    const name = `import_test_fail_${randomBytes(4).toString('hex')}`;
    // A real database failure on the 5th row, for this tenant only, after two chunks were written.
    await owner.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.tenant_id = '${t.owner.tenantId}' AND NEW.last_name = 'Echec' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`);
    await owner.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    try {
      const csv = 'Nom;Prénom\nA;a\nB;b\nC;c\nD;d\nEchec;e\nF;f\n';
      const { final } = await t.importFile(csv, 'skip', { chunkSize: 2 });
      expect(final).toMatchObject({ status: 'failed', insertedRows: 0, failure: expect.stringContaining('aucun client n’a été importé') as string });
      // The cause stays out of the message the user reads, and goes to the audit log.
      expect(final.failure).not.toContain('disk full');
      const audit = await t.run(({ tx }) => tx.auditLog.findFirstOrThrow({ where: { entityId: final.id, action: 'client_import.failed' } }));
      expect(JSON.stringify(audit.data)).toContain('disk full');
      expect(await t.clients()).toEqual([]);
      expect(await t.createdEvents()).toEqual([]);
      // A failed import is not picked up again.
      expect((await runClientImport({ db: t.auth.db, clock: systemClock }, { tenantId: t.owner.tenantId, importId: final.id })).outcome).toBe('gone');
    } finally {
      await owner.$executeRawUnsafe(`DROP TRIGGER ${name} ON clients`);
      await owner.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
      await owner.$disconnect();
    }
  });

  it('is run by one runner at a time, and an import orphaned by a dead runner is picked up again', async () => {
    const t = await tenant();
    const uploaded = await t.upload('Nom\nMartin\nDurand\n');
    await t.dryRun(uploaded.id, uploaded.suggestedMapping);
    await t.run((deps) => startClientImport(deps, { importId: uploaded.id }));
    const deps = { db: t.auth.db, clock: systemClock };
    // Another runner holds the import (its transaction holds the lock): this one leaves it alone.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = withTenant(t.auth.db, t.owner.tenantId, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('client_import'), hashtext(${uploaded.id}))`;
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    expect((await runClientImport(deps, { tenantId: t.owner.tenantId, importId: uploaded.id })).outcome).toBe('busy');
    // That runner dies having marked it running (its transaction rolls back, the lock goes).
    await t.run(({ tx }) => tx.clientImport.update({ where: { id: uploaded.id }, data: { status: 'running', processedRows: 1 } }));
    release();
    await holder;
    // The runner's pass finds it (this one or a worker's, from another test file on the same database).
    for (let pass = 0; pass < 50 && (await t.get(uploaded.id)).status !== 'succeeded'; pass++) {
      if (!(await runNextClientImport(deps))) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await t.get(uploaded.id)).toMatchObject({ status: 'succeeded', processedRows: 2, insertedRows: 2 });
    await expect(t.run((deps) => startClientImport(deps, { importId: uploaded.id }))).rejects.toThrow('Import déjà lancé');
  });

  it('keeps imports to their tenant: B neither lists nor reads A’s import, and A’s rows land in A only', async () => {
    const a = await tenant();
    const b = await tenant();
    const { uploaded, final } = await a.importFile('Nom\nMartin\n');
    expect(final.status).toBe('succeeded');
    expect((await a.run((deps) => listClientImports(deps, { limit: 20 }))).map((i) => i.id)).toEqual([uploaded.id]);
    expect(await b.run((deps) => listClientImports(deps, { limit: 20 }))).toEqual([]);
    for (const call of [
      () => b.get(uploaded.id),
      () => b.dryRun(uploaded.id, ['lastName']),
      () => b.run((deps) => startClientImport(deps, { importId: uploaded.id })),
    ]) {
      expect(await codeOf(call())).toMatchObject({ code: 'NOT_FOUND', message: 'Import introuvable' });
    }
    // Run under B's tenant, A's import id finds nothing.
    expect((await runClientImport({ db: b.auth.db, clock: systemClock }, { tenantId: b.owner.tenantId, importId: uploaded.id })).outcome).toBe('gone');
    expect(await b.clients()).toEqual([]);
    expect(await a.clients()).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  archiveClient,
  createClient,
  listClients,
  restoreClient,
  updateClient,
  ZCreateClientInput,
  ZListClientsInput,
  ZUpdateClientInput,
} from '../src/index.ts';
import { ownerTenant } from './harness.ts';

async function tenant() {
  const { owner, run } = await ownerTenant();
  const create = (input: Record<string, unknown>) => run((deps) => createClient(deps, ZCreateClientInput.parse(input)));
  const list = (input: Record<string, unknown> = {}) => run((deps) => listClients(deps, ZListClientsInput.parse(input)));
  return { owner, run, create, list };
}

describe('clients', () => {
  it('creates a person with normalised phone and identity, announced by client.created', async () => {
    const t = await tenant();
    const { client } = await t.create({
      kind: 'person',
      civility: 'MME',
      firstName: 'Hélène',
      lastName: 'Lefèvre',
      email: 'Helene.Lefevre@Example.TEST',
      mobile: '06 12 34 56 78',
      address: { line1: '5 rue des Lilas', postalCode: '33000', city: 'Bordeaux' },
      birthDate: '1984-03-09',
      marketingConsent: true,
      tags: ['énergie'],
    });
    expect(client).toMatchObject({
      displayName: 'LEFÈVRE Hélène',
      email: 'helene.lefevre@example.test',
      mobile: '+33612345678',
      status: 'prospect',
      birthDate: '1984-03-09',
      marketingConsent: true,
    });
    expect(client!.marketingConsentAt).not.toBeNull();
    const events = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'client.created' } }));
    expect(events.map((e) => (e.payload as { clientId: string }).clientId)).toEqual([client!.id]);
  });

  it('warns of likely duplicates instead of creating, unless told to go ahead', async () => {
    const t = await tenant();
    const first = await t.create({ kind: 'company', companyName: 'Boulangerie Martin', siret: '73282932000074', email: 'contact@martin.test' });
    const again = await t.create({ kind: 'company', companyName: 'Boulangerie Martin & Fils', email: 'contact@martin.test' });
    expect(again.client).toBeNull();
    expect(again.duplicates).toEqual([expect.objectContaining({ id: first.client!.id, reasons: ['email'] })]);
    const byNameAndBirth = await t.create({ kind: 'person', lastName: 'Durand', firstName: 'Paul', birthDate: '1970-01-02' });
    const twin = await t.create({ kind: 'person', lastName: 'DURAND', firstName: 'paul', birthDate: '1970-01-02' });
    expect(twin.duplicates[0]).toMatchObject({ id: byNameAndBirth.client!.id, reasons: ['name_birth_date'] });
    const forced = await t.create({ kind: 'company', companyName: 'Boulangerie Martin & Fils', email: 'contact@martin.test', ignoreDuplicates: true });
    expect(forced.client).not.toBeNull();
  });

  it('finds clients without accents, by phone in national format, and by SIRET', async () => {
    const t = await tenant();
    await t.create({ kind: 'person', firstName: 'Hélène', lastName: 'Lefèvre', mobile: '+33612345678' });
    await t.create({ kind: 'company', companyName: 'Énergies Côtières', siret: '73282932000074' });
    await t.create({ kind: 'person', firstName: 'Marc', lastName: 'Dupont' });
    const names = async (search: string) => (await t.list({ search })).items.map((c) => c.displayName);
    expect(await names('helene')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('helene lefevre')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('Lefèvre Hélène')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('LEFEVRE')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('cotieres')).toEqual(['Énergies Côtières']);
    expect(await names('06 12 34 56 78')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('+33 6 12 34 56 78')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('0033 612 34')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('+336123')).toEqual(['LEFÈVRE Hélène']);
    expect(await names('732829320')).toEqual(['Énergies Côtières']);
    expect(await names('zzz')).toEqual([]);
  });

  it('filters by tag, city, status, rep and creation day (Paris), and reads % and _ as letters', async () => {
    const t = await tenant();
    const a = (await t.create({ kind: 'company', companyName: 'Atelier 100% Bois', tags: ['vip'], address: { line1: '1 rue A', postalCode: '69001', city: 'Lyon' }, status: 'active' })).client!;
    const b = (await t.create({ kind: 'company', companyName: 'Atelier Bois_Fer', address: { line1: '2 rue B', postalCode: '75001', city: 'Paris' } })).client!;
    const ids = async (input: Record<string, unknown>) => (await t.list(input)).items.map((c) => c.id);
    expect(await ids({ tag: 'vip' })).toEqual([a.id]);
    expect(await ids({ city: 'LYON' })).toEqual([a.id]);
    expect(await ids({ status: 'prospect' })).toEqual([b.id]);
    expect((await ids({ salesRep: 'none' })).sort()).toEqual([a.id, b.id].sort());
    expect(await ids({ search: '100%' })).toEqual([a.id]);
    expect(await ids({ search: 'bois_' })).toEqual([b.id]);
    expect(await ids({ search: '_' })).toEqual([b.id]);
    // Created "today" in Paris: 23:30 UTC the day before is already today there in winter.
    await t.run((deps) => deps.tx.$executeRaw`UPDATE clients SET created_at = '2026-01-14 23:30:00+00' WHERE id = ${a.id}::uuid`);
    expect(await ids({ createdFrom: '2026-01-15', createdTo: '2026-01-15' })).toEqual([a.id]);
    expect(await ids({ createdFrom: '2026-01-14', createdTo: '2026-01-14' })).toEqual([]);
    expect(await ids({ createdTo: '2026-01-15' })).toEqual([a.id]);
  });

  it('searches through the trigram index under row-level security, not by reading every tenant\'s rows', async () => {
    const t = await tenant();
    // Seq scans off: what is left is what the planner may use. Without a leakproof LIKE
    // (migration search_index_under_rls), the trigram index is not among them for this role.
    const plan = await t.run(async ({ tx }) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(
        // No tenant condition: the tenant's b-tree would otherwise win on a near-empty table.
        `EXPLAIN (FORMAT JSON) SELECT id FROM clients WHERE search_text LIKE '%lefevre%'`,
      );
      return JSON.stringify(rows[0]!['QUERY PLAN']);
    });
    expect(plan).toContain('clients_search_text_trgm_idx');
  });

  it('pages by keyset through every client exactly once, in name order and by creation date', async () => {
    const t = await tenant();
    const created: string[] = [];
    for (let i = 0; i < 57; i++) created.push((await t.create({ kind: 'company', companyName: `Société ${String(i).padStart(2, '0')}` })).client!.id);
    for (const sort of ['name', 'newest', 'oldest'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.list({ sort, limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(57);
      expect(seen.sort()).toEqual([...created].sort());
    }
    const firstByName = await t.list({ sort: 'name', limit: 3 });
    expect(firstByName.items.map((c) => c.displayName)).toEqual(['Société 00', 'Société 01', 'Société 02']);
    await expect(t.list({ cursor: 'not-a-cursor' })).rejects.toThrow('Curseur invalide');
  });

  it('updates recompute the search; archive hides, restore brings back the previous status', async () => {
    const t = await tenant();
    const { client } = await t.create({ kind: 'person', lastName: 'Moreau', status: 'active' });
    await t.run((deps) => updateClient(deps, ZUpdateClientInput.parse({ clientId: client!.id, lastName: 'Mörél' })));
    expect((await t.list({ search: 'morel' })).items.map((c) => c.id)).toEqual([client!.id]);
    await t.run((deps) => archiveClient(deps, { clientId: client!.id }));
    expect((await t.list()).items).toEqual([]);
    expect((await t.list({ status: 'archived' })).items.map((c) => c.id)).toEqual([client!.id]);
    const restored = await t.run((deps) => restoreClient(deps, { clientId: client!.id }));
    expect(restored.status).toBe('active');
  });

  it('refuses bad input with French messages on the right fields', () => {
    const result = ZCreateClientInput.safeParse({
      kind: 'person',
      siret: '73282932000075',
      phone: '12',
      email: 'pas-un-email',
      birthDate: '2999-01-01',
      address: { line1: 'x', postalCode: '7500', city: 'Paris' },
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(messages).toMatchObject({
      lastName: 'Nom requis',
      siret: 'SIRET invalide (clé de contrôle)',
      phone: 'Numéro de téléphone invalide',
      email: 'Email invalide',
      birthDate: 'Date de naissance invalide',
      'address.postalCode': 'Code postal invalide',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { anonymiseClient, createClient, exportClientData, getClient, mergeClients, ZAnonymiseClientInput, ZCreateClientInput } from '../src/index.ts';
import { ownerTenant } from './harness.ts';

async function tenant() {
  const { owner, run } = await ownerTenant();
  const create = async (input: Record<string, unknown>) =>
    (await run((deps) => createClient(deps, ZCreateClientInput.parse({ ignoreDuplicates: true, ...input })))).client!;
  const note = (clientId: string, subject: string) =>
    run(({ tx }) => tx.activity.create({ data: { tenantId: owner.tenantId, kind: 'note', subject, body: `${subject} : détails`, clientId, ownerUserId: owner.userId } }));
  return { owner, run, create, note };
}

describe('merging clients', () => {
  it('moves everything attached to the duplicate, fills the gaps, and archives it as a pointer', async () => {
    const t = await tenant();
    const target = await t.create({ kind: 'person', lastName: 'Martin', firstName: 'Luc', email: 'luc@martin.test', tags: ['énergie'] });
    const source = await t.create({
      kind: 'person', lastName: 'Martin', firstName: 'Luc', mobile: '0612345678', tags: ['assurance'], notes: 'Préfère être appelé le soir',
      address: { line1: '3 rue Haute', postalCode: '69001', city: 'Lyon' },
    });
    await t.note(source.id, 'Appel entrant');
    await t.note(source.id, 'Devis envoyé');
    await t.note(target.id, 'Premier contact');

    const { client, moved } = await t.run((deps) => mergeClients(deps, { sourceClientId: source.id, targetClientId: target.id }));
    expect(moved).toEqual({ activities: 2 });
    expect(client).toMatchObject({
      email: 'luc@martin.test',
      mobile: '+33612345678',
      address: { line1: '3 rue Haute', postalCode: '69001', city: 'Lyon' },
      tags: ['énergie', 'assurance'],
    });
    expect(client.notes).toContain('Préfère être appelé le soir');
    const activities = await t.run(({ tx }) => tx.activity.findMany({ where: { clientId: target.id } }));
    expect(activities).toHaveLength(3);
    const archived = await t.run((deps) => getClient(deps, { clientId: source.id }));
    expect(archived).toMatchObject({ status: 'archived', mergedIntoId: target.id });
    // Events are history: the duplicate's stay its own (its export, not the kept client's).
    const events = async (clientId: string) => (await t.run((deps) => exportClientData(deps, { clientId }))).events.map((e) => (e.payload as { clientId: string }).clientId);
    expect(await events(target.id)).toEqual([target.id]);
    expect(await events(source.id)).toEqual([source.id]);
    // A client merged away cannot be merged again; nor can one merge into itself.
    expect(await t.run((deps) => mergeClients(deps, { sourceClientId: source.id, targetClientId: target.id })).catch((e: { code: string }) => e.code)).toBe('CONFLICT');
    expect(await t.run((deps) => mergeClients(deps, { sourceClientId: target.id, targetClientId: target.id })).catch((e: { code: string }) => e.code)).toBe('BAD_REQUEST');
  });

  it('refuses another tenant’s client and changes nothing', async () => {
    const a = await tenant();
    const b = await tenant();
    const mine = await a.create({ kind: 'company', companyName: 'Alpha' });
    const theirs = await b.create({ kind: 'company', companyName: 'Beta' });
    await b.note(theirs.id, 'Note de B');
    expect(await a.run((deps) => mergeClients(deps, { sourceClientId: theirs.id, targetClientId: mine.id })).catch((e: { code: string }) => e.code)).toBe('NOT_FOUND');
    expect(await b.run(({ tx }) => tx.activity.count({ where: { clientId: theirs.id } }))).toBe(1);
  });
});

describe('GDPR', () => {
  it('exports everything about a client, then erases the person but keeps what accounting needs', async () => {
    const t = await tenant();
    const client = await t.create({
      kind: 'person', civility: 'MME', firstName: 'Hélène', lastName: 'Lefèvre', email: 'helene@example.test', mobile: '0612345678',
      birthDate: '1984-03-09', address: { line1: '5 rue des Lilas', postalCode: '33000', city: 'Bordeaux' }, marketingConsent: true,
    });
    await t.note(client.id, 'Rappeler Hélène');

    const data = await t.run((deps) => exportClientData(deps, { clientId: client.id }));
    expect(data.client.email).toBe('helene@example.test');
    expect(data.related.activities).toHaveLength(1);
    expect(data.events.map((e) => e.type)).toEqual(['client.created']);
    expect(data.history.map((h) => h.action)).toContain('client.created');

    expect(() => ZAnonymiseClientInput.parse({ clientId: client.id })).toThrow();
    const erased = await t.run((deps) => anonymiseClient(deps, ZAnonymiseClientInput.parse({ clientId: client.id, confirm: true, reason: 'Demande écrite' })));
    expect(erased).toMatchObject({
      displayName: 'ANONYMISÉ', firstName: null, email: null, mobile: null, birthDate: null, address: null, marketingConsent: false, status: 'archived',
    });
    expect(erased.anonymisedAt).not.toBeNull();
    const after = await t.run((deps) => exportClientData(deps, { clientId: client.id }));
    const text = JSON.stringify(after);
    for (const personal of ['Hélène', 'Lefèvre', 'helene@example.test', '612345678', 'Lilas', '1984-03-09', 'Rappeler']) {
      expect(text, personal).not.toContain(personal);
    }
    expect(after.client.id).toBe(client.id);
    expect(after.related.activities).toHaveLength(1);
    expect(await t.run((deps) => anonymiseClient(deps, { clientId: client.id, confirm: true })).catch((e: { code: string }) => e.code)).toBe('CONFLICT');
  });
});

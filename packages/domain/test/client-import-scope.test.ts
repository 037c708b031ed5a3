import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  dryRunClientImport,
  getClientImport,
  listClients,
  runClientImport,
  startClientImport,
  systemClock,
  uploadClientImport,
  ZDryRunClientImportInput,
  ZListClientsInput,
  type TenantDeps,
} from '../src/index.ts';
import { ownerTenant, uniqueEmail } from './harness.ts';

/**
 * A client import by a member who sees part of the clients (a manager linked to a rep with a
 * team): the dry run and the worker's run match against the same clients, those of the scope
 * recorded on the import, so a row like a client outside the team neither updates that client
 * nor tells that it exists.
 */
async function teamManager() {
  const { auth, owner, run } = await ownerTenant();
  const tenantId = owner.tenantId;
  const setup = await withTenant(auth.db, tenantId, async (tx) => {
    const user = await tx.user.create({ data: { email: uniqueEmail('manager'), name: 'Léa Chef', passwordHash: 'unused' } });
    const member = await tx.membership.create({ data: { tenantId, userId: user.id, role: 'manager' } });
    const lead = await tx.salesRep.create({ data: { tenantId, userId: user.id, code: 'LEAD', firstName: 'Léa', lastName: 'Chef' } });
    const teamRep = await tx.salesRep.create({ data: { tenantId, code: 'TEAM', firstName: 'Jean', lastName: 'Équipe', managerId: lead.id } });
    const otherRep = await tx.salesRep.create({ data: { tenantId, code: 'OTHR', firstName: 'Paul', lastName: 'Ailleurs' } });
    return { userId: user.id, memberId: member.id, lead, teamRep, otherRep };
  });
  // As a procedure runs it: the transaction enters the tenant as the manager, so their scope applies.
  const asManager = <R>(f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(auth.db, tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: setup.userId, tenantId, memberId: setup.memberId, role: 'manager' } }), { userId: setup.userId });
  const client = async (lastName: string, email: string, salesRepId: string) =>
    (await run((deps) => createClient(deps, { kind: 'person', lastName, email, salesRepId, ignoreDuplicates: true }))).client!;
  const runNow = async (importId: string) => {
    for (;;) {
      const result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId, importId });
      if (result.outcome !== 'busy') return result;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { auth, tenantId, run, asManager, client, runNow, ...setup };
}

const CSV = 'Nom;Email\nVisible modifié;visible@example.test\nInconnu;cache@example.test\nNouveau;nouveau@example.test\n';

describe('client import under a team scope', () => {
  it('updates only clients of the team, makes a row like a hidden client a new client of the team, and the dry run says so', async () => {
    const t = await teamManager();
    const visible = await t.client('Visible', 'visible@example.test', t.teamRep.id);
    const hidden = await t.client('Caché', 'cache@example.test', t.otherRep.id);
    const hiddenBefore = await t.run(({ tx }) => tx.client.findUniqueOrThrow({ where: { id: hidden.id } }));

    const uploaded = await t.asManager((deps) => uploadClientImport(deps, { fileName: 'equipe.csv', content: Buffer.from(CSV) }));
    const report = await t.asManager((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId: uploaded.id, mapping: ['lastName', 'email'], duplicatePolicy: 'update' })));
    expect(report).toMatchObject({ validRows: 3, toUpdate: 1, toInsert: 2, toSkip: 0 });
    await t.asManager((deps) => startClientImport(deps, { importId: uploaded.id }));
    // The worker runs it with no member in front of it: under the scope the dry run recorded.
    expect((await t.runNow(uploaded.id)).outcome).toBe('succeeded');
    expect(await t.asManager((deps) => getClientImport(deps, { importId: uploaded.id }))).toMatchObject({ status: 'succeeded', updatedRows: 1, insertedRows: 2, skippedRows: 0 });

    // The client outside the team is untouched; the one of the team took the file's name.
    expect(await t.run(({ tx }) => tx.client.findUniqueOrThrow({ where: { id: hidden.id } }))).toEqual(hiddenBefore);
    expect((await t.run(({ tx }) => tx.client.findUniqueOrThrow({ where: { id: visible.id } }))).lastName).toBe('Visible modifié');
    // The new clients are the manager's (their own rep), as the form would make them: they see them.
    const seen = await t.asManager((deps) => listClients(deps, ZListClientsInput.parse({})));
    expect(seen.items.map((c) => [c.displayName, c.salesRepId]).sort()).toEqual([
      ['INCONNU', t.lead.id],
      ['NOUVEAU', t.lead.id],
      ['VISIBLE MODIFIÉ', t.teamRep.id],
    ]);
    const events = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { tenantId: t.tenantId, type: 'client.created', payload: { path: ['salesRepId'], equals: t.lead.id } } }));
    expect(events).toHaveLength(2);
  });

  it('runs with the scope of the dry run: a manager whose team changed since must simulate again, and sees only their own imports', async () => {
    const t = await teamManager();
    await t.client('Visible', 'visible@example.test', t.teamRep.id);
    const uploaded = await t.asManager((deps) => uploadClientImport(deps, { fileName: 'equipe.csv', content: Buffer.from(CSV) }));
    await t.asManager((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId: uploaded.id, mapping: ['lastName', 'email'], duplicatePolicy: 'update' })));
    await t.run(({ tx }) => tx.salesRep.update({ where: { id: t.teamRep.id }, data: { managerId: null } }));
    await expect(t.asManager((deps) => startClientImport(deps, { importId: uploaded.id }))).rejects.toMatchObject({ code: 'CONFLICT' });

    // An import the owner uploaded is not the manager's to read, simulate or start.
    const owners = await t.run((deps) => uploadClientImport(deps, { fileName: 'tout.csv', content: Buffer.from(CSV) }));
    await expect(t.asManager((deps) => getClientImport(deps, { importId: owners.id }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.asManager((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId: owners.id, mapping: ['lastName', 'email'], duplicatePolicy: 'update' }))),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

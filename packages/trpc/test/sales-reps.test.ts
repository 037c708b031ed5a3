import { describe, expect, it } from 'vitest';
import { addMember, tenantWithOwner, testServices, trpcCode } from './harness.ts';

/**
 * Sales reps and who sees which clients. The visibility rule lives in one place (PostgreSQL's
 * `sales_scope` policy on clients); these tests go through the procedures, as the web app does.
 */
async function organisation() {
  const services = testServices();
  const owner = await tenantWithOwner(services);
  const sales = await addMember(services, owner, 'sales');
  const manager = await addMember(services, owner, 'manager');
  const lead = await owner.caller.salesReps.create({ firstName: 'Léa', lastName: 'Chef', userId: manager.userId, team: 'Sud-Ouest' });
  const rep = await owner.caller.salesReps.create({ firstName: 'Jean', lastName: 'Dupont', userId: sales.userId, managerId: lead.id });
  const other = await owner.caller.salesReps.create({ firstName: 'Paul', lastName: 'Autre' });
  const client = (name: string, salesRepId: string | null) =>
    owner.caller.clients.create({ kind: 'company', companyName: name, salesRepId }).then((r) => r.client!);
  return { services, owner, sales, manager, lead, rep, other, client };
}

const names = (page: { items: { displayName: string }[] }) => page.items.map((c) => c.displayName).sort();

describe('sales reps', () => {
  it('generates codes, keeps the hierarchy a tree, and refuses a foreign or duplicate account link', async () => {
    const o = await organisation();
    expect(o.rep.code).toBe('JDUP');
    const twin = await o.owner.caller.salesReps.create({ firstName: 'Jacques', lastName: 'Dupuis' });
    expect(twin.code).toBe('JDUP2');
    // Léa manages Jean: Léa cannot report to Jean, nor to herself.
    expect(await trpcCode(o.owner.caller.salesReps.update({ salesRepId: o.lead.id, managerId: o.rep.id }))).toBe('CONFLICT');
    expect(await trpcCode(o.owner.caller.salesReps.update({ salesRepId: o.lead.id, managerId: o.lead.id }))).toBe('CONFLICT');
    expect(await trpcCode(o.owner.caller.salesReps.create({ firstName: 'X', lastName: 'Y', userId: o.sales.userId }))).toBe('CONFLICT');
    const stranger = await tenantWithOwner(o.services, 'Autre société');
    expect(await trpcCode(o.owner.caller.salesReps.create({ firstName: 'X', lastName: 'Y', userId: stranger.userId }))).toBe('NOT_FOUND');
    expect(await trpcCode(o.owner.caller.salesReps.create({ firstName: '', lastName: 'Y' }))).toBe('BAD_REQUEST');
    // A sales member may read reps but not change them.
    expect(await trpcCode(o.sales.caller.salesReps.update({ salesRepId: o.rep.id, team: 'Nord' }))).toBe('FORBIDDEN');

    const detail = await o.owner.caller.salesReps.get({ salesRepId: o.lead.id });
    expect(detail.reports.map((r) => r.code)).toEqual(['JDUP']);
    await o.owner.caller.salesReps.setTarget({ salesRepId: o.rep.id, month: '2026-12', revenueCents: 1_500_000, contractsCount: 12 });
    await o.owner.caller.salesReps.setTarget({ salesRepId: o.rep.id, month: '2026-12', revenueCents: 1_800_000, contractsCount: 14 });
    expect((await o.owner.caller.salesReps.get({ salesRepId: o.rep.id })).targets).toEqual([{ month: '2026-12', revenueCents: 1_800_000, contractsCount: 14 }]);
    expect(await trpcCode(o.owner.caller.salesReps.setTarget({ salesRepId: o.rep.id, month: '2026-13', revenueCents: 1 }))).toBe('BAD_REQUEST');
  });

  it('shows a sales member only their clients, a manager their team’s, everyone else all', async () => {
    const o = await organisation();
    const mine = await o.client('Client de Jean', o.rep.id);
    const leads = await o.client('Client de Léa', o.lead.id);
    const others = await o.client('Client de Paul', o.other.id);
    await o.client('Client sans commercial', null);

    expect(names(await o.sales.caller.clients.list({}))).toEqual(['Client de Jean']);
    expect(names(await o.manager.caller.clients.list({}))).toEqual(['Client de Jean', 'Client de Léa']);
    expect(names(await o.owner.caller.clients.list({}))).toHaveLength(4);
    expect(names(await o.owner.caller.clients.list({ salesRep: 'none' }))).toEqual(['Client sans commercial']);

    // Someone else's client is not there at all, whatever the procedure.
    expect(await trpcCode(o.sales.caller.clients.get({ clientId: others.id }))).toBe('NOT_FOUND');
    expect(await trpcCode(o.sales.caller.clients.get({ clientId: leads.id }))).toBe('NOT_FOUND');
    expect(await trpcCode(o.sales.caller.clients.update({ clientId: others.id, notes: 'x' }))).toBe('NOT_FOUND');
    expect(await trpcCode(o.manager.caller.clients.get({ clientId: others.id }))).toBe('NOT_FOUND');
    expect((await o.sales.caller.clients.get({ clientId: mine.id })).displayName).toBe('Client de Jean');

    // What a sales member creates is theirs; giving it away is refused by the database.
    const created = await o.sales.caller.clients.create({ kind: 'company', companyName: 'Nouveau client de Jean' });
    expect(created.client!.salesRepId).toBe(o.rep.id);
    expect(await trpcCode(o.sales.caller.clients.update({ clientId: mine.id, salesRepId: o.other.id }))).toBe('NOT_FOUND');
    expect((await o.owner.caller.clients.get({ clientId: mine.id })).salesRepId).toBe(o.rep.id);

    // A sales member whose account is linked to no rep sees nothing and cannot create.
    const unlinked = await addMember(o.services, o.owner, 'sales');
    expect((await unlinked.caller.clients.list({})).items).toEqual([]);
    expect(await trpcCode(unlinked.caller.clients.create({ kind: 'company', companyName: 'Orphelin' }))).toBe('CONFLICT');
  });

  it('reassigns chosen clients or all of a rep’s, all or nothing', async () => {
    const o = await organisation();
    const a = await o.client('A', o.rep.id);
    const b = await o.client('B', o.rep.id);
    await o.client('C', o.rep.id);
    const stranger = await tenantWithOwner(o.services, 'Autre société');
    const foreign = (await stranger.caller.clients.create({ kind: 'company', companyName: 'Étranger' })).client!;

    expect(await trpcCode(o.owner.caller.clients.reassign({ clientIds: [a.id, foreign.id], toSalesRepId: o.other.id }))).toBe('NOT_FOUND');
    expect(names(await o.owner.caller.clients.list({ salesRep: o.other.id }))).toEqual([]);
    expect(await o.owner.caller.clients.reassign({ clientIds: [a.id, b.id], toSalesRepId: o.other.id })).toEqual({ reassigned: 2 });
    expect(names(await o.owner.caller.clients.list({ salesRep: o.other.id }))).toEqual(['A', 'B']);
    expect(await o.owner.caller.clients.reassign({ fromSalesRepId: o.rep.id, toSalesRepId: o.lead.id })).toEqual({ reassigned: 1 });
    expect(names(await o.sales.caller.clients.list({}))).toEqual([]);
    expect(await trpcCode(o.owner.caller.clients.reassign({ toSalesRepId: o.lead.id }))).toBe('BAD_REQUEST');
    expect(await trpcCode(o.sales.caller.clients.reassign({ fromSalesRepId: o.lead.id, toSalesRepId: o.rep.id }))).toBe('FORBIDDEN');

    await o.owner.caller.salesReps.update({ salesRepId: o.other.id, active: false });
    expect(await trpcCode(o.owner.caller.clients.reassign({ clientIds: [a.id], toSalesRepId: o.other.id }))).toBe('CONFLICT');
    expect((await o.owner.caller.salesReps.list({})).map((r) => r.code).sort()).toEqual(['JDUP', 'LCHE']);
    const withInactive = await o.owner.caller.salesReps.list({ includeInactive: true });
    expect(withInactive.find((r) => r.id === o.other.id)).toMatchObject({ active: false, clientCount: 2 });
  });
});

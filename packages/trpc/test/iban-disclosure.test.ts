import { withTenant } from '@crm/db';
import { IBAN_WRITE_PERMISSION, maskIban, PERMISSIONS } from '@crm/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, tenantWithOwner, testServices } from './harness.ts';

// Who receives a whole IBAN (domain shared/iban-disclosure.ts): only who writes the record. Every
// member of every role reads a contract, the mandates and the organisation through the routers;
// the whole IBAN must not occur anywhere in the answer of one who may not write the record.

const DEBTOR_IBAN = 'FR1420041010050500013M02606';
const AMENDED_IBAN = 'FR7630004000031234567890143';
const CREDITOR_IBAN = 'FR7630006000011234567890189';
const ROLES = ['owner', 'admin', 'manager', 'sales', 'accountant', 'viewer'] as const;
type Role = (typeof ROLES)[number];

const whole = (kind: keyof typeof IBAN_WRITE_PERMISSION): Role[] => [...PERMISSIONS[IBAN_WRITE_PERMISSION[kind]]];

describe('IBAN disclosure', () => {
  let callers: Record<Role, Awaited<ReturnType<typeof tenantWithOwner>>['caller']>;
  let contractId: string;
  let mandateId: string;

  beforeAll(async () => {
    const services = testServices();
    const owner = await tenantWithOwner(services, 'Société IBAN');
    const added = {
      admin: await addMember(services, owner, 'admin'),
      manager: await addMember(services, owner, 'manager'),
      sales: await addMember(services, owner, 'sales'),
      accountant: await addMember(services, owner, 'accountant'),
      viewer: await addMember(services, owner, 'viewer'),
    };
    callers = { owner: owner.caller, ...(Object.fromEntries(Object.entries(added).map(([role, m]) => [role, m.caller])) as Omit<typeof callers, 'owner'>) };
    // The client is the sales member's, in the manager's team: every role sees the contract.
    const lead = await owner.caller.salesReps.create({ firstName: 'Léa', lastName: 'Chef', userId: added.manager.userId, team: 'Sud' });
    const rep = await owner.caller.salesReps.create({ firstName: 'Jean', lastName: 'Équipe', userId: added.sales.userId, managerId: lead.id });
    const client = (await owner.caller.clients.create({ kind: 'person', firstName: 'Hélène', lastName: 'Lefèvre', salesRepId: rep.id })).client!;
    await owner.caller.organisations.update({ creditorIban: CREDITOR_IBAN });
    const product = await owner.caller.products.create({ code: 'ABO', name: 'Abonnement', priceCents: 2_500, vatRateCode: 'NORMAL', billingFrequency: 'monthly' });
    const contract = await owner.caller.contracts.create({
      clientId: client.id, salesRepId: rep.id, startDate: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10), durationMonths: 12, paymentMethod: 'sepa_debit',
      debtorName: 'Hélène Lefèvre', debtorIban: DEBTOR_IBAN, lines: [{ productId: product.id, quantity: 1 }],
    });
    contractId = contract.id;
    // The mandate as the payments consumer leaves it on signature, then amended (its original IBAN pending).
    const mandate = await withTenant(services.db, owner.tenantId, (tx) =>
      tx.sepaMandate.create({
        data: { tenantId: owner.tenantId, clientId: client.id, contractId, rum: 'RUM-IBAN-1', debtorName: 'Hélène Lefèvre', iban: DEBTOR_IBAN, signedOn: new Date(Date.now() - 86_400_000), signedPlace: 'Bordeaux' },
      }),
    );
    mandateId = mandate.id;
    const amended = await owner.caller.mandates.amend({ mandateId, iban: AMENDED_IBAN });
    expect(amended).toMatchObject({ iban: AMENDED_IBAN, originalIban: DEBTOR_IBAN });
  });

  /** What each role is answered, as one JSON text: a whole IBAN shows up wherever it hides. */
  const answers = async (read: (caller: (typeof callers)[Role]) => Promise<unknown>, roles: readonly Role[] = ROLES) =>
    Object.fromEntries(await Promise.all(roles.map(async (role) => [role, JSON.stringify(await read(callers[role]))] as const))) as Record<Role, string>;

  it('the rule: whole for who writes the record, never for a viewer', () => {
    expect(whole('contractDebtor')).toEqual(['owner', 'admin', 'manager', 'sales']);
    expect(whole('mandate')).toEqual(['owner', 'admin', 'accountant']);
    expect(whole('creditor')).toEqual(['owner', 'admin']);
    expect(maskIban(DEBTOR_IBAN)).toBe('FR14 •••• 2606');
  });

  it('contracts.get: the debtor IBAN whole for who writes contracts, masked for the accountant and the viewer', async () => {
    const got = await answers((caller) => caller.contracts.get({ contractId }));
    for (const role of ROLES) {
      const view = JSON.parse(got[role]) as { debtorIban: string };
      if (whole('contractDebtor').includes(role)) expect(view.debtorIban, role).toBe(DEBTOR_IBAN);
      else {
        expect(got[role], role).not.toContain(DEBTOR_IBAN);
        expect(view.debtorIban, role).toBe('FR14 •••• 2606');
      }
    }
  });

  it('mandates.list and mandates.get: the IBAN and the original IBAN whole for who writes payments, masked for the manager and the viewer', async () => {
    const readers = ROLES.filter((role) => role !== 'sales'); // payments.read
    const lists = await answers((caller) => caller.mandates.list({ limit: 50 }), readers);
    for (const role of readers) {
      const one = JSON.stringify(await callers[role].mandates.get({ mandateId }));
      const mandate = (JSON.parse(lists[role]) as { items: { id: string; iban: string; originalIban: string | null }[] }).items.find((m) => m.id === mandateId)!;
      if (whole('mandate').includes(role)) {
        expect(mandate, role).toMatchObject({ iban: AMENDED_IBAN, originalIban: DEBTOR_IBAN });
        expect(one, role).toContain(AMENDED_IBAN);
      } else {
        for (const text of [lists[role], one]) for (const iban of [AMENDED_IBAN, DEBTOR_IBAN]) expect(text, role).not.toContain(iban);
        expect(mandate, role).toMatchObject({ iban: 'FR76 •••• 0143', originalIban: 'FR14 •••• 2606' });
      }
    }
  });

  it('organisations.get: the creditor IBAN whole for who writes the settings, masked for every other role', async () => {
    const got = await answers((caller) => caller.organisations.get());
    for (const role of ROLES) {
      const view = JSON.parse(got[role]) as { creditorIban: string };
      if (whole('creditor').includes(role)) expect(view.creditorIban, role).toBe(CREDITOR_IBAN);
      else {
        expect(got[role], role).not.toContain(CREDITOR_IBAN);
        expect(view.creditorIban, role).toBe('FR76 •••• 0189');
      }
    }
  });
});

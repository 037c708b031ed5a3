import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import {
  buildBatch,
  DomainError,
  getBatchFile,
  getOrganisation,
  listSepaReturnReasons,
  listVatRates,
  previewBatch,
  SEPA_REASONS,
  updateOrganisation,
  ZBatchDateInput,
  ZUpdateOrganisationInput,
  type TenantDeps,
} from '../src/index.ts';
import { newTenant, testAuthDeps } from './harness.ts';
import { paymentsTenant } from './payments-fixtures.ts';

async function asOwner<T>(fn: (deps: TenantDeps) => Promise<T>) {
  const auth = testAuthDeps();
  const owner = await newTenant(auth);
  const member = await withTenant(auth.db, owner.tenantId, (tx) => tx.membership.findFirstOrThrow({ where: { userId: owner.userId } }));
  const run = <R>(f: (deps: TenantDeps) => Promise<R>) =>
    withTenant(auth.db, owner.tenantId, (tx) =>
      f({ tx, now: new Date(), actor: { userId: owner.userId, tenantId: owner.tenantId, memberId: member.id, role: 'owner' } }),
    );
  return { owner, run, result: await run(fn) };
}

describe('organisation settings', () => {
  it('stores the legal identity, address and SEPA creditor, audits and announces the change', async () => {
    const input = ZUpdateOrganisationInput.parse({
      legalName: 'Énergie Verte SAS',
      legalForm: 'SAS',
      siren: '732 829 320',
      siret: '732 829 320 00074',
      vatNumber: 'FR 44 732829320',
      address: { line1: '3 place Bellecour', postalCode: '69002', city: 'Lyon' },
      sepaCreditorId: 'FR72ZZZ123456',
      creditorIban: 'FR14 2004 1010 0505 0001 3M02 606',
      creditorBic: 'PSSTFRPPLYO',
      invoicePrefix: 'ev',
    });
    const { owner, run, result } = await asOwner((deps) => updateOrganisation(deps, input));
    expect(result).toMatchObject({
      siren: '732829320',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      address: { line1: '3 place Bellecour', line2: null, postalCode: '69002', city: 'Lyon', country: 'FR' },
      creditorIban: 'FR1420041010050500013M02606',
      invoicePrefix: 'EV',
    });
    const [event] = await run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'organisation.updated' } }));
    expect((event?.payload as { changedFields: string[] }).changedFields).toEqual(
      expect.arrayContaining(['siren', 'siret', 'creditorIban', 'postalCode']),
    );
    const audit = await run(({ tx }) => tx.auditLog.findFirst({ where: { action: 'organisation.updated' } }));
    expect(audit).toMatchObject({ actorUserId: owner.userId, entityId: owner.tenantId });
    expect(JSON.stringify(audit?.data)).not.toContain('FR1420041010050500013M02606');
  });

  it('checks what spans fields against the stored values', async () => {
    const { run } = await asOwner((deps) => updateOrganisation(deps, { siren: '732829320' }));
    const error = await run((deps) => updateOrganisation(deps, { siret: '35600000000048', vatNumber: 'FR00552100554', legalForm: 'XYZ' })).catch(
      (e: unknown) => e as DomainError,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(Object.keys((error as DomainError).fieldErrors ?? {}).sort()).toEqual(['legalForm', 'siret', 'vatNumber']);
  });

  it('rejects malformed identifiers with French messages on the right fields', () => {
    const result = ZUpdateOrganisationInput.safeParse({
      siren: '732829321',
      creditorIban: 'FR1420041010050500013M02607',
      sepaCreditorId: 'FR73ZZZ123456',
      address: { line1: 'x', postalCode: '7500', city: 'Paris', country: 'FR' },
      timezone: 'Mars/Olympus',
      unknownField: true,
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.') || i.code, i.message]));
    expect(messages).toMatchObject({
      siren: 'SIREN invalide (clé de contrôle)',
      creditorIban: 'IBAN invalide',
      sepaCreditorId: 'Identifiant créancier SEPA (ICS) invalide',
      'address.postalCode': 'Code postal invalide',
      timezone: 'Fuseau horaire inconnu',
    });
    expect(result.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
});

describe('SEPA collection settings', () => {
  it('are changed with the settings, audited with what they were, and read back', async () => {
    const input = ZUpdateOrganisationInput.parse({
      sepaFormat: 'pain.008.001.02',
      sepaDebitDay: 10,
      sepaPreNotificationDays: 5,
      sepaUseFrst: false,
      sepaSettleAfterDays: 8,
      contactEmail: ' Contact@Energie-Verte.FR ',
    });
    const { run, result } = await asOwner((deps) => updateOrganisation(deps, input));
    const expected = { sepaFormat: 'pain.008.001.02', sepaDebitDay: 10, sepaPreNotificationDays: 5, sepaUseFrst: false, sepaSettleAfterDays: 8, contactEmail: 'contact@energie-verte.fr' };
    expect(result).toMatchObject(expected);
    expect(await run((deps) => getOrganisation(deps))).toMatchObject(expected);
    const audit = await run(({ tx }) => tx.auditLog.findFirst({ where: { action: 'organisation.updated' } }));
    expect(audit?.data).toMatchObject({
      changes: {
        sepaFormat: { from: 'pain.008.001.08', to: 'pain.008.001.02' },
        sepaDebitDay: { from: 5, to: 10 },
        sepaPreNotificationDays: { from: 14, to: 5 },
        sepaUseFrst: { from: true, to: false },
        sepaSettleAfterDays: { from: 5, to: 8 },
      },
    });
    // The contact address is named, not copied, like any other identity field.
    expect(JSON.stringify(audit?.data)).not.toContain('energie-verte');
  });

  it('refuses values the collections cannot use, each on its field, in French', () => {
    const result = ZUpdateOrganisationInput.safeParse({
      sepaFormat: 'pain.008.001.09',
      sepaDebitDay: 29,
      sepaPreNotificationDays: 0,
      sepaUseFrst: 'oui',
      sepaSettleAfterDays: 4,
      contactEmail: 'pas-une-adresse',
    });
    const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(messages).toEqual({
      sepaFormat: 'Format inconnu : pain.008.001.08 ou pain.008.001.02',
      sepaDebitDay: 'Jour de prélèvement : 28 au plus',
      sepaPreNotificationDays: 'Préavis : 1 jour au moins',
      sepaUseFrst: 'Oui ou non',
      sepaSettleAfterDays: 'Délai avant encaissement : 5 jours ouvrés au moins',
      contactEmail: 'Email invalide',
    });
    expect(ZUpdateOrganisationInput.safeParse({ sepaDebitDay: 2.5 }).error?.issues[0]?.message).toBe('Jour de prélèvement : un nombre entier');
  });

  it('apply to the next batches: notice, file format and FRST', async () => {
    const t = await paymentsTenant();
    const { event } = await t.signedContract();
    await t.deliver(event);
    const date = ZBatchDateInput.parse({ collectionDate: '2026-04-07' });
    const update = (input: Record<string, unknown>) => t.run((deps) => updateOrganisation(deps, ZUpdateOrganisationInput.parse(input)));
    // On 20 March, 30 days' notice reaches past 7 April; 14 do not.
    t.setNow(new Date('2026-03-20T09:00:00Z'));
    await update({ sepaPreNotificationDays: 30 });
    expect(await t.run((deps) => previewBatch(deps, date))).toMatchObject({ itemCount: 0, tooLateForPreNotification: { count: 2 } });
    await update({ sepaPreNotificationDays: 14, sepaFormat: 'pain.008.001.02', sepaUseFrst: false });
    const batch = await t.run((deps) => buildBatch(deps, date));
    expect(batch).toMatchObject({ itemCount: 2, format: 'pain.008.001.02' });
    const xml = (await t.run((deps) => getBatchFile(deps, { batchId: batch.id }))).xml;
    expect(xml).toContain('urn:iso:std:iso:20022:tech:xsd:pain.008.001.02');
    expect(xml).toContain('<SeqTp>RCUR</SeqTp>');
  });
});

describe('reference data', () => {
  it('knows the SEPA return reasons as the domain does, each with its category', async () => {
    const { run } = await asOwner(() => Promise.resolve(null));
    const reasons = await run(({ tx }) => listSepaReturnReasons(tx));
    expect(reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['AC01', 'AC04', 'AC06', 'AG01', 'AG02', 'AM04', 'AM05', 'BE05', 'ED05', 'FF01', 'MD01', 'MD02', 'MD06', 'MD07', 'MS02', 'MS03', 'RC01', 'RR01', 'RR02', 'RR03', 'RR04', 'SL01']));
    // The reference table and the domain's table (which the import classifies with) are the same rows.
    expect(reasons).toEqual([...SEPA_REASONS].sort((a, b) => a.code.localeCompare(b.code)));
    expect(reasons.filter((r) => r.category === 'insufficient_funds').map((r) => r.code)).toEqual(['AM04']);
    expect((await run(({ tx }) => listVatRates(tx))).map((r) => r.rateBasisPoints)).toEqual([2000, 1000, 550, 210, 0]);
  });
});

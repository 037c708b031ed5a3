import { rm } from 'node:fs/promises';
import { withTenant } from '@crm/db';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activateContract,
  cancelContract,
  contractPdf,
  createContract,
  changeProductPrice,
  getContract,
  listContracts,
  mandatePdf,
  resumeContract,
  sendContract,
  signContract,
  suspendContract,
  terminateContract,
  updateContract,
  priceForPeriod,
  verifySignedContract,
  withdrawContract,
  ZCreateContractInput,
  ZListContractsInput,
  ZSignContractInput,
  ZUpdateContractInput,
  LocalDiskStorage,
  type DomainError,
  type TenantDeps,
} from '../src/index.ts';
import { contractTenant, EVIDENCE, IBAN } from './contract-fixtures.ts';
import { pdfText } from './pdf-text.ts';
import { newTenant, testAuthDeps } from './harness.ts';

const storage = LocalDiskStorage.temporary('crm-contracts-test');
afterAll(() => rm(storage.root, { recursive: true, force: true }));

const tenant = () => contractTenant(storage);

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

describe('contracts', () => {
  it('numbers contracts per tenant from the organisation prefix, also when two are created at once', async () => {
    const t = await tenant();
    const client = await t.company();
    const p = await t.product('ELEC', 4_990);
    const input = { clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' };
    const now = new Date('2026-02-15T10:00:00Z');
    const first = await t.create(input, now);
    const second = await t.create(input, now);
    expect([first.number, second.number]).toEqual(['CT-2026-000001', 'CT-2026-000002']);
    const parallel = await Promise.all([t.create(input, now), t.create(input, now), t.create(input, now)]);
    expect(parallel.map((c) => c.number).sort()).toEqual(['CT-2026-000003', 'CT-2026-000004', 'CT-2026-000005']);
    // Another prefix, another year; another tenant starts at 1.
    await t.run(({ tx }) => tx.organisation.update({ where: { id: t.owner.tenantId }, data: { contractPrefix: 'ABO' } }));
    expect((await t.create(input, new Date('2027-01-02T10:00:00Z'))).number).toBe('ABO-2027-000001');
    const other = await tenant();
    const otherClient = await other.company();
    const otherProduct = await other.product('ELEC', 100);
    expect((await other.create({ ...input, clientId: otherClient.id, lines: [{ productId: otherProduct.id, quantity: 1 }] }, now)).number).toBe('CT-2026-000001');
    // A rolled-back creation leaves no gap.
    await failure(t.run(async (deps) => {
      await createContract(deps, ZCreateContractInput.parse(input));
      throw new Error('rolled back');
    }, now));
    expect((await t.create(input, now)).number).toBe('ABO-2026-000006');
  });

  it("converts a catalogue price to the contract's period, and the lines when only the period changes", async () => {
    expect([priceForPeriod(4_990, 'monthly', 'quarterly'), priceForPeriod(120_000, 'yearly', 'monthly'), priceForPeriod(10_000, 'yearly', 'monthly')]).toEqual([14_970, 10_000, 833]);
    // Half up on the cent: 6 cents a year is 0.5 a month, 1 cent; 5 cents a year 0.42, 0 cents.
    expect([priceForPeriod(6, 'yearly', 'monthly'), priceForPeriod(5, 'yearly', 'monthly'), priceForPeriod(30_000, 'quarterly', 'half_yearly')]).toEqual([1, 0, 60_000]);
    expect([priceForPeriod(5_000, 'one_off', 'monthly'), priceForPeriod(5_000, 'monthly', 'one_off'), priceForPeriod(5_000, 'one_off', 'one_off')]).toEqual([null, null, 5_000]);

    const t = await tenant();
    const client = await t.company();
    const monthly = await t.product('BOX', 4_990);
    const yearly = await t.product('PRIME', 120_000, 'NORMAL', '2026-01-01', 'yearly');
    const once = await t.product('FRAIS', 5_000, 'NORMAL', '2026-01-01', 'one_off');
    const base = { clientId: client.id, startDate: '2026-06-01', durationMonths: 12, paymentMethod: 'cheque' };
    const quarterly = await t.create({ ...base, billingFrequency: 'quarterly', lines: [{ productId: monthly.id, quantity: 1 }, { productId: yearly.id, quantity: 1 }] });
    expect(quarterly.lines.map((l) => l.unitPriceCents)).toEqual([14_970, 30_000]);
    // Without a frequency the first product's is the contract's, and the others follow it.
    const fromFirst = await t.create({ ...base, lines: [{ productId: yearly.id, quantity: 1 }, { productId: monthly.id, quantity: 2 }] });
    expect(fromFirst).toMatchObject({ billingFrequency: 'yearly', lines: [{ unitPriceCents: 120_000 }, { unitPriceCents: 59_880 }] });
    // A price given on the line is the contract's, per its period: never converted.
    const given = await t.create({ ...base, billingFrequency: 'quarterly', lines: [{ productId: monthly.id, quantity: 1, unitPriceCents: 12_000 }] });
    expect(given.lines[0]!.unitPriceCents).toBe(12_000);
    // A one-off product has no period to convert.
    expect(await failure(t.create({ ...base, billingFrequency: 'monthly', lines: [{ productId: monthly.id, quantity: 1 }, { productId: once.id, quantity: 1 }] }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { 'lines.1.productId': [expect.stringContaining('facturé une fois')] },
    });
    // Only the period changes: the lines' prices follow it; back again, they are what they were.
    const monthlyAgain = await t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: quarterly.id, billingFrequency: 'monthly' })));
    expect(monthlyAgain).toMatchObject({ billingFrequency: 'monthly', lines: [{ unitPriceCents: 4_990 }, { unitPriceCents: 10_000 }] });
    const back = await t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: quarterly.id, billingFrequency: 'quarterly' })));
    expect(back.lines.map((l) => l.unitPriceCents)).toEqual([14_970, 30_000]);
    expect(await failure(t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: quarterly.id, billingFrequency: 'one_off' }))))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { billingFrequency: [expect.any(String)] },
    });
  });

  it('defaults from the products (price at the start date, VAT code, frequency) and the client (rep, consumer)', async () => {
    const t = await tenant();
    const rep = await t.run(({ tx }) => tx.salesRep.create({ data: { tenantId: t.owner.tenantId, code: 'R1', firstName: 'Sam', lastName: 'Vendeur' } }));
    const client = await t.person('Lefèvre', 'Hélène');
    await t.run(({ tx }) => tx.client.update({ where: { id: client.id }, data: { salesRepId: rep.id } }));
    const p = await t.product('GAZ', 1_000, 'REDUIT', '2026-01-01');
    await t.run((deps) => changeProductPrice(deps, { productId: p.id, priceCents: 1_200, effectiveFrom: '2026-06-01' }));
    const before = await t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 2 }], startDate: '2026-05-31', durationMonths: 24, paymentMethod: 'cheque' });
    expect(before).toMatchObject({
      salesRepId: rep.id,
      consumer: true,
      billingFrequency: 'monthly',
      tacitRenewal: true,
      status: 'draft',
      lines: [{ productId: p.id, label: 'Produit GAZ', quantity: 2, unitPriceCents: 1_000, vatRateBasisPoints: 550 }],
    });
    const after = await t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-06-01', durationMonths: 12, paymentMethod: 'cheque', salesRepId: null });
    expect(after.lines[0]!.unitPriceCents).toBe(1_200);
    expect(after.salesRepId).toBeNull();
    const overridden = await t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1, unitPriceCents: 990, label: 'Gaz remisé' }], startDate: '2026-06-01', durationMonths: 12, paymentMethod: 'cheque', billingFrequency: 'yearly', consumer: false });
    expect(overridden).toMatchObject({ billingFrequency: 'yearly', consumer: false, lines: [{ label: 'Gaz remisé', unitPriceCents: 990 }] });
    const firm = await t.company();
    expect((await t.create({ clientId: firm.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-06-01', durationMonths: 12, paymentMethod: 'sepa_debit' })).consumer).toBe(false);
    // No price in effect yet at the start date.
    const early = await failure(t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2025-12-31', durationMonths: 12, paymentMethod: 'cheque' }));
    expect(early).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'lines.0.unitPriceCents': [expect.stringContaining('Aucun prix')] } });
  });

  it('computes totals per period with VAT rounded half-up per line', async () => {
    const t = await tenant();
    const client = await t.company();
    const a = await t.product('A', 1_999, 'REDUIT');
    const b = await t.product('B', 333, 'INTERMEDIAIRE');
    const c = await t.product('C', 1_010, 'REDUIT');
    const contract = await t.create({
      clientId: client.id,
      lines: [{ productId: a.id, quantity: 3 }, { productId: b.id, quantity: 1 }, { productId: c.id, quantity: 1 }],
      startDate: '2026-03-01',
      durationMonths: 12,
      paymentMethod: 'transfer',
    });
    // 5997 x 5.5 % = 329.835 -> 330; 333 x 10 % = 33.3 -> 33; 1010 x 5.5 % = 55.55 -> 56.
    expect(contract.lines.map((l) => [l.htCents, l.vatCents, l.ttcCents])).toEqual([[5_997, 330, 6_327], [333, 33, 366], [1_010, 56, 1_066]]);
    expect(contract.totals).toEqual({ htCents: 7_340, vatCents: 419, ttcCents: 7_759 });
    const listed = await t.run((deps) => listContracts(deps, ZListContractsInput.parse({})));
    expect(listed.items[0]!.totals).toEqual(contract.totals);
  });

  it('walks every legal transition with history, audit and events, and refuses the illegal ones naming the state', async () => {
    const t = await tenant();
    const sent = await t.sentContract();
    expect(sent.status).toBe('sent');
    expect(await failure(t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: sent.id, durationMonths: 6 }))))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('envoyé pour signature'),
    });
    expect(await failure(t.run((deps) => activateContract(deps, { contractId: sent.id })))).toMatchObject({
      code: 'CONFLICT',
      message: `Impossible d'activer le contrat ${sent.number} : il est actuellement « envoyé pour signature »`,
    });
    await t.sign(sent.id);
    await t.run((deps) => activateContract(deps, { contractId: sent.id }));
    expect(await failure(t.run((deps) => cancelContract(deps, { contractId: sent.id, reason: 'trop tard' })))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('« actif »') });
    await t.run((deps) => suspendContract(deps, { contractId: sent.id, reason: 'impayés' }));
    expect(await failure(t.run((deps) => suspendContract(deps, { contractId: sent.id })))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('« suspendu »') });
    await t.run((deps) => resumeContract(deps, { contractId: sent.id }));
    expect(await failure(t.run((deps) => terminateContract(deps, { contractId: sent.id, endDate: '2026-02-01' })))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { endDate: [expect.any(String)] } });
    const ended = await t.run((deps) => terminateContract(deps, { contractId: sent.id, endDate: '2026-12-31', reason: 'déménagement' }));
    expect(ended).toMatchObject({ status: 'terminated', endDate: '2026-12-31' });
    expect(ended.history.map((h) => `${h.from ?? '-'}>${h.to}`)).toEqual([
      '->draft', 'draft>sent', 'sent>signed', 'signed>active', 'active>suspended', 'suspended>active', 'active>terminated',
    ]);
    for (const illegal of [
      () => resumeContract as (d: TenantDeps, i: { contractId: string }) => Promise<unknown>,
      () => activateContract,
      () => sendContract,
    ]) {
      expect(await failure(t.run((deps) => illegal()(deps, { contractId: sent.id })))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('« résilié »') });
    }
    const { events, audit } = await t.run(async ({ tx }) => ({
      events: await tx.outboxEvent.findMany({ where: { type: { startsWith: 'contract.' } }, orderBy: { id: 'asc' } }),
      audit: await tx.auditLog.findMany({ where: { entityId: sent.id }, orderBy: { createdAt: 'asc' } }),
    }));
    expect(events.map((e) => e.type)).toEqual(['contract.signed', 'contract.activated', 'contract.suspended', 'contract.activated', 'contract.terminated']);
    expect(events[2]!.payload).toMatchObject({ contractId: sent.id, reason: 'impayés' });
    expect(events[3]!.payload).toMatchObject({ resumed: true });
    expect(events[4]!.payload).toMatchObject({ endDate: '2026-12-31', reason: 'déménagement' });
    expect(audit.map((a) => a.action)).toEqual([
      'contract.created', 'contract.send', 'contract.sign', 'contract.activate', 'contract.suspend', 'contract.resume', 'contract.terminate',
    ]);

    // Cancelled from each state before active, with its reason; a draft stays editable until then.
    const other = await t.sentContract();
    const cancelled = await t.run((deps) => cancelContract(deps, { contractId: other.id, reason: 'Le client renonce' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Le client renonce', withdrawn: false });
    const client = await t.company();
    const p = await t.product('X', 100);
    const draft = await t.create({ clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'card' });
    const edited = await t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: draft.id, lines: [{ productId: p.id, quantity: 4 }], durationMonths: 36 })));
    expect(edited).toMatchObject({ durationMonths: 36, lines: [{ quantity: 4 }] });
    expect((await t.run((deps) => cancelContract(deps, { contractId: draft.id, reason: 'doublon' }))).status).toBe('cancelled');
    const cancelledEvents = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'contract.cancelled' } }));
    expect(cancelledEvents.map((e) => e.payload)).toEqual(
      expect.arrayContaining([expect.objectContaining({ contractId: draft.id, reason: 'doublon', withdrawn: false })]),
    );
  });

  it('lets a consumer withdraw within 14 days of signing, not after, and never a company', async () => {
    const t = await tenant();
    const signedAt = new Date('2026-03-10T09:00:00Z');
    const a = await t.sentContract(signedAt);
    await t.sign(a.id, { now: signedAt });
    await t.run((deps) => activateContract(deps, { contractId: a.id }), signedAt);
    const withdrawn = await t.run((deps) => withdrawContract(deps, { contractId: a.id }), new Date('2026-03-24T21:30:00Z')); // 24th, 22:30 in Paris
    expect(withdrawn).toMatchObject({ status: 'cancelled', withdrawn: true, cancellationReason: 'Rétractation du consommateur' });
    const b = await t.sentContract(signedAt);
    await t.sign(b.id, { now: signedAt });
    const late = await failure(t.run((deps) => withdrawContract(deps, { contractId: b.id }), new Date('2026-03-24T23:30:00Z'))); // 25th in Paris
    expect(late).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining("jusqu'au 24/03/2026 inclus") });
    // Not before signature either.
    const c = await t.sentContract(signedAt);
    expect(await failure(t.run((deps) => withdrawContract(deps, { contractId: c.id }), signedAt))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('« envoyé pour signature »') });
    // A company is no consumer.
    const firm = await t.company('Garage Durand');
    const p = await t.product('PRO', 100);
    const pro = await t.create({ clientId: firm.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' }, signedAt);
    await t.run((deps) => sendContract(deps, { contractId: pro.id }), signedAt);
    await t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: pro.id, signerName: 'Paul Durand', signerCapacity: 'gérant', consent: true }), EVIDENCE), signedAt);
    expect(await failure(t.run((deps) => withdrawContract(deps, { contractId: pro.id }), signedAt))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('consommateur') });
    const events = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'contract.cancelled' } }));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ contractId: a.id, withdrawn: true })]);
  });

  it('signs with evidence and contract.signed in the same transaction, and the signed PDF hash verifies', async () => {
    const t = await tenant();
    const now = new Date('2026-03-10T09:00:00Z');
    const sent = await t.sentContract(now);
    // The typed name must match the client loosely (case, accents); consent must be literally true.
    expect(await failure(t.run((deps) => signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'Pierre Martin', consent: true }), EVIDENCE)))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { signerName: [expect.stringContaining('Dupont')] },
    });
    expect(ZSignContractInput.safeParse({ contractId: sent.id, signerName: 'Jean Dupont', consent: false }).success).toBe(false);
    // A failure after signing in the same transaction leaves neither the signature nor the event.
    await failure(
      t.run(async (deps) => {
        await signContract(deps, ZSignContractInput.parse({ contractId: sent.id, signerName: 'jean DUPÔNT', consent: true, signedPlace: 'Lyon' }), EVIDENCE);
        throw new Error('rolled back');
      }, now),
    );
    expect((await t.run((deps) => getContract(deps, { contractId: sent.id }))).status).toBe('sent');
    expect(await t.run(({ tx }) => tx.outboxEvent.count({ where: { type: 'contract.signed' } }))).toBe(0);

    const signed = await t.sign(sent.id, { now, signerName: 'jean DUPÔNT' });
    expect(signed).toMatchObject({ status: 'signed', signedAt: now.toISOString(), signedOn: '2026-03-10', signerName: 'jean DUPÔNT' });
    const row = await t.run(({ tx }) => tx.contract.findFirstOrThrow({ where: { id: sent.id } }));
    expect(row).toMatchObject({ signerIp: EVIDENCE.ip, signerUserAgent: EVIDENCE.userAgent, consentText: expect.stringContaining('signe électroniquement') });
    // The consent stored is, byte for byte, the one the signing page was given to show.
    expect(row.consentText).toBe(sent.legal.signatureConsent);
    expect(signed.consentText).toBe(sent.legal.signatureConsent);
    const [event] = await t.run(({ tx }) => tx.outboxEvent.findMany({ where: { type: 'contract.signed' } }));
    expect(event!.payload).toEqual({ contractId: sent.id, clientId: sent.client.id, salesRepId: null, signedAt: now.toISOString(), channel: 'in_app' });

    // The signed copy: the document presented with its signature block filled, naming the presented document's sha256.
    const pdf = await t.run((deps) => contractPdf(deps, { contractId: sent.id }));
    expect(Buffer.from(pdf.bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('Signé électroniquement par jean DUPÔNT');
    expect(text).toContain('Le 10/03/2026 à 10:00 (heure de Paris), à Lyon, en présence du conseiller.');
    expect(text).toContain(row.signedDocumentSha256!);
    expect(text).toContain('Échéancier des prélèvements');
    expect(await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).toMatchObject({ valid: true, signedDocumentSha256: row.signedDocumentSha256, dataChangedSinceSignature: false });
    // The data changing after signature no longer touches the signed document (frozen in the
    // snapshot); the verification says the data moved on.
    await t.run(({ tx }) => tx.contractLine.updateMany({ where: { contractId: sent.id }, data: { unitPriceCents: 1 } }));
    expect(await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).toMatchObject({ valid: true, dataChangedSinceSignature: true });
    // A snapshot altered behind our back does not verify.
    await t.run(({ tx }) => tx.$executeRaw`UPDATE contracts SET signature_snapshot = jsonb_set(signature_snapshot, '{pdf,number}', '"CT-FALSE"') WHERE id = ${sent.id}::uuid`);
    expect((await t.run((deps) => verifySignedContract(deps, { contractId: sent.id }))).valid).toBe(false);

    const mandate = await t.run((deps) => mandatePdf(deps, { contractId: sent.id }));
    const again = await t.run((deps) => mandatePdf(deps, { contractId: sent.id }));
    expect(mandate.fileName).toBe(`mandat-sepa-${sent.number}.pdf`);
    expect(Buffer.from(again.bytes).equals(Buffer.from(mandate.bytes))).toBe(true);
  });

  it('refuses a bad IBAN, and sending a direct-debit contract without debtor details', async () => {
    const t = await tenant();
    const client = await t.person();
    const p = await t.product('E', 100);
    const input = { clientId: client.id, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'sepa_debit' };
    expect(await failure(t.create({ ...input, debtorIban: 'FR76 3000 6000 0112 3456 7890 188' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { debtorIban: ['IBAN invalide'] } });
    const draft = await t.create(input);
    expect(draft.debtorName).toBe('DUPONT Jean');
    expect(await failure(t.run((deps) => sendContract(deps, { contractId: draft.id })))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { debtorIban: [expect.any(String)] } });
    expect(await failure(t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: draft.id, debtorIban: 'GB00 0000' }))))).toMatchObject({ fieldErrors: { debtorIban: ['IBAN invalide'] } });
    const fixed = await t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: draft.id, debtorIban: IBAN.toLowerCase(), debtorBic: 'bnpafrpp' })));
    expect(fixed).toMatchObject({ debtorIban: 'FR7630006000011234567890189', debtorBic: 'BNPAFRPP' });
    expect((await t.run((deps) => sendContract(deps, { contractId: draft.id }))).status).toBe('sent');
  });

  it('takes the SEPA scheme with the contract: B2B for a company that is not a consumer, whose mandate says so', async () => {
    const t = await tenant();
    const p = await t.product('S', 2_000);
    const base = { lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'sepa_debit', debtorIban: IBAN };
    const refused = { code: 'BAD_REQUEST', fieldErrors: { sepaScheme: ['Le schéma B2B est réservé aux entreprises (non consommateurs)'] } };
    const person = await t.person();
    expect(await failure(t.create({ ...base, clientId: person.id, sepaScheme: 'B2B' }))).toMatchObject(refused);
    const company = await t.company();
    expect(await failure(t.create({ ...base, clientId: company.id, sepaScheme: 'B2B', consumer: true }))).toMatchObject(refused);
    expect(await failure(t.create({ ...base, clientId: company.id, sepaScheme: 'SEPA' }))).toMatchObject({ issues: [expect.objectContaining({ path: ['sepaScheme'] })] });

    const core = await t.create({ ...base, clientId: company.id });
    expect(core.sepaScheme).toBe('CORE');
    const draft = await t.create({ ...base, clientId: company.id, sepaScheme: 'B2B' });
    expect(draft).toMatchObject({ sepaScheme: 'B2B', consumer: false });
    // Made a consumer's while B2B: refused, and nothing changed.
    expect(await failure(t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: draft.id, consumer: true }))))).toMatchObject(refused);
    expect((await t.run((deps) => getContract(deps, { contractId: draft.id }))).consumer).toBe(false);
    expect((await t.run((deps) => updateContract(deps, ZUpdateContractInput.parse({ contractId: core.id, sepaScheme: 'B2B' })))).sepaScheme).toBe('B2B');

    const title = async (contractId: string) => (await PDFDocument.load((await t.run((deps) => mandatePdf(deps, { contractId }))).bytes)).getTitle();
    expect(await title(draft.id)).toMatch(/^Mandat de prélèvement SEPA interentreprises \(B2B\) - CT-/);
    const personDraft = await t.create({ ...base, clientId: person.id });
    expect(await title(personDraft.id)).toMatch(/^Mandat de prélèvement SEPA - CT-/);
  });

  it("answers NOT_FOUND for another tenant's client, product and contract, and for another rep's client", async () => {
    const a = await tenant();
    const b = await tenant();
    const aClient = await a.company();
    const aProduct = await a.product('A', 100);
    const bClient = await b.company('Client de B');
    const bProduct = await b.product('B', 100);
    const base = { startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' };
    expect(await failure(a.create({ ...base, clientId: bClient.id, lines: [{ productId: aProduct.id, quantity: 1 }] }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(a.create({ ...base, clientId: aClient.id, lines: [{ productId: bProduct.id, quantity: 1 }] }))).toMatchObject({ code: 'NOT_FOUND', fieldErrors: { 'lines.0.productId': ['Produit introuvable'] } });
    const bContract = await b.create({ ...base, clientId: bClient.id, lines: [{ productId: bProduct.id, quantity: 1 }] });
    expect(await failure(a.run((deps) => getContract(deps, { contractId: bContract.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(a.run((deps) => sendContract(deps, { contractId: bContract.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(a.run((deps) => contractPdf(deps, { contractId: bContract.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(a.run((deps) => listContracts(deps, ZListContractsInput.parse({ clientId: bClient.id }))))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.run((deps) => listContracts(deps, ZListContractsInput.parse({})))).items).toEqual([]);
    expect((await b.run((deps) => getContract(deps, { contractId: bContract.id }))).status).toBe('draft');

    // A sales member sees the contracts of their rep's clients only.
    const salesUser = (await newTenant(testAuthDeps(), 'Ailleurs')).userId;
    const { mine, theirs } = await b.run(async ({ tx }) => {
      await tx.membership.create({ data: { tenantId: b.owner.tenantId, userId: salesUser, role: 'sales' } });
      const myRep = await tx.salesRep.create({ data: { tenantId: b.owner.tenantId, userId: salesUser, code: 'R1', firstName: 'Sam', lastName: 'Vendeur' } });
      const row = (name: string, salesRepId: string | null) =>
        tx.client.create({ data: { tenantId: b.owner.tenantId, kind: 'company', companyName: name, displayName: name, sortName: name.toLowerCase(), searchText: name.toLowerCase(), salesRepId } });
      return { mine: await row('Client de Sam', myRep.id), theirs: await row('Client des autres', null) };
    });
    const theirsContract = await b.create({ ...base, clientId: theirs.id, lines: [{ productId: bProduct.id, quantity: 1 }] });
    const membership = await b.run(({ tx }) => tx.membership.findFirstOrThrow({ where: { userId: salesUser } }));
    const asSales = <R>(f: (deps: TenantDeps) => Promise<R>) =>
      withTenant(testAuthDeps().db, b.owner.tenantId, (tx) => f({ tx, now: new Date(), actor: { userId: salesUser, tenantId: b.owner.tenantId, memberId: membership.id, role: 'sales' } }), { userId: salesUser });
    const mineContract = await asSales((deps) => createContract(deps, ZCreateContractInput.parse({ ...base, clientId: mine.id, lines: [{ productId: bProduct.id, quantity: 1 }] })));
    expect((await asSales((deps) => listContracts(deps, ZListContractsInput.parse({})))).items.map((c) => c.id)).toEqual([mineContract.id]);
    expect(await failure(asSales((deps) => getContract(deps, { contractId: theirsContract.id })))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(asSales((deps) => createContract(deps, ZCreateContractInput.parse({ ...base, clientId: theirs.id, lines: [{ productId: bProduct.id, quantity: 1 }] }))))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists by keyset with filters and search by number or client name', async () => {
    const t = await tenant();
    const martin = await t.company('Boulangerie Martin');
    const leroy = await t.person('Leroy', 'Éloïse');
    const p = await t.product('L', 100);
    const make = (clientId: string) => t.create({ clientId, lines: [{ productId: p.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' });
    const c1 = await make(martin.id);
    const c2 = await make(leroy.id);
    const c3 = await make(martin.id);
    await t.run((deps) => sendContract(deps, { contractId: c3.id }));
    const list = (input: Record<string, unknown>) => t.run((deps) => listContracts(deps, ZListContractsInput.parse(input)));
    const page1 = await list({ limit: 2 });
    expect(page1.items.map((c) => c.id)).toEqual([c3.id, c2.id]);
    const page2 = await list({ limit: 2, cursor: page1.nextCursor });
    expect(page2).toMatchObject({ items: [{ id: c1.id }], nextCursor: null });
    expect((await list({ status: 'sent' })).items.map((c) => c.id)).toEqual([c3.id]);
    expect((await list({ clientId: martin.id })).items.map((c) => c.id)).toEqual([c3.id, c1.id]);
    expect((await list({ search: 'eloise' })).items.map((c) => c.id)).toEqual([c2.id]);
    expect((await list({ search: c1.number.toLowerCase() })).items.map((c) => c.id)).toEqual([c1.id]);
    expect(await failure(list({ cursor: 'nope' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

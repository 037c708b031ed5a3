import { newId, withTenant } from '@crm/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  createCreditNote,
  createInvoiceDraft,
  documentStorageKey,
  draftInvoicesFromSchedule,
  exportAccountingJournal,
  exportEReporting,
  FEC_COLUMNS,
  getInvoiceTransmission,
  HttpPlatform,
  issueInvoice,
  LocalDiskStorage,
  refreshInvoiceTransmissions,
  REFRESH_TRANSMISSIONS_JOB,
  submitInvoiceToPlatform,
  updateInvoiceSettings,
  ZCreateClientInput,
  ZCreateCreditNoteInput,
  ZCreateInvoiceDraftInput,
  ZExportPeriodInput,
  ZUpdateInvoiceSettingsInput,
  type InvoicePlatform,
  type TenantDeps,
} from '../src/index.ts';
import { startFakePlatform, type FakePlatform } from './fake-platform.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// The approved platform (a real HTTP fake), the B2C e-reporting data and the FEC-layout journal,
// on the real database; one organisation for the file (CI time).

const storage = LocalDiskStorage.temporary('crm-einvoicing-test');
let t: Awaited<ReturnType<typeof paymentsTenant>>;
let fake: FakePlatform;
let platform: InvoicePlatform;

const withPlatform = <R>(p: InvoicePlatform | null, f: (deps: TenantDeps & { documents: { storage: LocalDiskStorage; maxBytes: number }; platform: InvoicePlatform | null }) => Promise<R>) =>
  t.run((deps) => f({ ...deps, documents: { storage, maxBytes: 10_000_000 }, platform: p }));
const line = (unitPriceCents: number, vatRateBasisPoints = 2000, supplyKind: 'goods' | 'services' = 'services') => ({
  label: 'Prestation',
  quantity: 1,
  unitPriceCents,
  vatRateBasisPoints,
  supplyKind,
});

async function issue(clientId: string, lines: ReturnType<typeof line>[]) {
  const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId, lines })));
  return withPlatform(null, (deps) => issueInvoice(deps, { invoiceId: draft.id }));
}

/** The invoice's CII, as the Factur-X rendering stores it (a stand-in where a test removed it). */
async function withCii(invoice: { id: string; number: string | null; client: { id: string } }) {
  await t.run(async ({ tx, now }) => {
    if (await tx.document.findFirst({ where: { invoiceId: invoice.id, kind: 'invoice_xml' } })) return;
    const bytes = new TextEncoder().encode(
      `<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><!-- ${invoice.number} --></rsm:CrossIndustryInvoice>\n`,
    );
    const id = newId();
    const storageKey = documentStorageKey(t.owner.tenantId, id, now);
    await storage.put(storageKey, bytes);
    await tx.document.create({
      data: { id, tenantId: t.owner.tenantId, clientId: invoice.client.id, invoiceId: invoice.id, kind: 'invoice_xml', fileName: `${invoice.number}.xml`, mimeType: 'application/xml', sizeBytes: bytes.byteLength, sha256: '0'.repeat(64), storageKey },
    });
  });
}

async function company(siren: string) {
  const { client } = await t.run((deps) =>
    createClient(
      deps,
      ZCreateClientInput.parse({ kind: 'company', companyName: `Garage ${siren}`, legalForm: 'SARL', siren, address: { line1: '1 route de Lyon', postalCode: '69000', city: 'Lyon' }, ignoreDuplicates: true }),
    ),
  );
  return client!;
}

beforeAll(async () => {
  fake = await startFakePlatform();
  platform = new HttpPlatform(fake.url, fake.apiKey, 5_000);
  t = await paymentsTenant({ now: new Date('2026-03-02T09:00:00Z') });
  await t.run(({ tx }) =>
    tx.organisation.update({
      where: { id: t.owner.tenantId },
      data: { legalForm: 'SAS', siren: '443061841', vatNumber: 'FR64443061841', addressLine1: '10 rue de la Paix', postalCode: '75002', city: 'Paris', contactEmail: 'factures@example.test' },
    }),
  );
  await t.run((deps) => updateInvoiceSettings(deps, ZUpdateInvoiceSettingsInput.parse({ shareCapitalCents: 1_000_000, rcsCity: 'Paris', vatOnDebits: false })));
});
afterAll(async () => {
  await fake?.close();
});

describe('transmission to the approved platform', () => {
  it('says clearly when no platform is configured, and refuses a draft, a consumer’s invoice and one without its CII', async () => {
    const b2b = await issue((await company('732829320')).id, [line(10_000)]);
    const none = await failure(withPlatform(null, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id })));
    expect(none.code).toBe('BAD_REQUEST');
    expect(none.message).toContain('Aucune plateforme configurée');
    expect(await withPlatform(null, (deps) => getInvoiceTransmission(deps, { invoiceId: b2b.id }))).toMatchObject({ platformConfigured: false, transmitted: false, status: null });

    // An invoice kept without its Factur-X (issued before the CII was rendered): nothing to send.
    await t.run(({ tx }) => tx.document.deleteMany({ where: { invoiceId: b2b.id, kind: 'invoice_xml' } }));
    const noCii = await failure(withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id })));
    expect(noCii).toMatchObject({ code: 'CONFLICT' });
    expect(noCii.message).toContain('Factur-X');
    const person = await t.client('person');
    const b2c = await issue(person.id, [line(1_000)]);
    await withCii(b2c);
    expect((await failure(withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2c.id })))).message).toContain('e-reporting');
    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: person.id, lines: [line(1_000)] })));
    expect((await failure(withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: draft.id })))).code).toBe('CONFLICT');
    expect((await failure(withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: newId() })))).code).toBe('NOT_FOUND');
    expect(fake.submissions).toBe(0);
  });

  it('marks nothing transmitted without the receipt, deposits once per invoice, and follows the lifecycle to Encaissée', async () => {
    const b2b = await issue((await company('552100554')).id, [line(20_000), line(5_000, 550, 'goods')]);
    await withCii(b2b);

    // The platform is down, then the key is wrong: attempts recorded, still not transmitted.
    fake.failNext(503);
    const down = await withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id }));
    expect(down).toMatchObject({ transmitted: false, status: 'pending', platformId: null, receipt: null, attempts: 1 });
    expect(down.lastError).toContain('HTTP 503');
    const badKey = await withPlatform(new HttpPlatform(fake.url, 'wrong-key'), (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id }));
    expect(badKey).toMatchObject({ transmitted: false, status: 'pending', attempts: 2 });
    expect(badKey.lastError).toContain('HTTP 401');
    // The database refuses a "transmitted" row without a receipt, whoever writes it.
    await expect(t.run(({ tx }) => tx.invoiceTransmission.updateMany({ where: { invoiceId: b2b.id }, data: { status: 'deposee' } }))).rejects.toThrow();

    // Deposited, but the transaction does not commit (the answer is lost): the platform keeps
    // the deposit under the invoice's key, and the next attempt gets the same one back.
    await expect(
      withPlatform(platform, async (deps) => {
        await submitInvoiceToPlatform(deps, { invoiceId: b2b.id });
        throw new Error('lost before commit');
      }),
    ).rejects.toThrow('lost before commit');
    const deposited = await withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id }));
    expect(fake.deposits.size).toBe(1);
    const [deposit] = [...fake.deposits.values()];
    expect(deposit!.invoiceNumber).toBe(b2b.number);
    expect(deposited).toMatchObject({ transmitted: true, status: 'deposee', statusLabel: 'Déposée', platformId: deposit!.platformId, lastError: null, attempts: 3 });
    expect(deposited.receipt).toEqual(deposit!.receipt);
    expect(deposited.history).toEqual([{ code: '200', label: 'Déposée', at: deposit!.receipt.receivedAt, reason: null }]);

    // Idempotent: a second submit answers the transmission without calling the platform.
    const calls = fake.submissions;
    expect((await withPlatform(platform, (deps) => submitInvoiceToPlatform(deps, { invoiceId: b2b.id }))).platformId).toBe(deposit!.platformId);
    expect(fake.submissions).toBe(calls);

    // The lifecycle, with dates, until a final status; then nothing is asked any more.
    fake.advance(deposit!.platformId, '203', '2026-03-03T08:00:00.000Z');
    fake.advance(deposit!.platformId, '205', '2026-03-04T08:00:00.000Z');
    // The hourly job: nothing without a platform; with one, the statuses recorded.
    const job = (p: InvoicePlatform | null) =>
      withTenant(t.auth.db, t.owner.tenantId, (tx) =>
        REFRESH_TRANSMISSIONS_JOB.run(
          { tx, tenantId: t.owner.tenantId, now: new Date('2026-03-05T09:00:00Z'), today: '2026-03-05', timeZone: 'Europe/Paris', job: { id: 'x', kind: 'invoicing.refresh_transmissions', key: 'hourly', attempt: 1, runAt: new Date('2026-03-05T09:00:00Z') }, platform: p },
          {},
        ),
      );
    expect(await job(null)).toEqual({ skipped: 'aucune plateforme configurée' });
    expect(await job(platform)).toEqual({ checked: 1, changed: 1, failed: 0 });
    fake.advance(deposit!.platformId, '212', '2026-03-20T08:00:00.000Z');
    fake.failNext(500);
    expect(await withPlatform(platform, (deps) => refreshInvoiceTransmissions(deps, { invoiceId: b2b.id }))).toMatchObject({ failed: 1 });
    expect((await withPlatform(platform, (deps) => getInvoiceTransmission(deps, { invoiceId: b2b.id }))).lastError).toContain('HTTP 500');
    await withPlatform(platform, (deps) => refreshInvoiceTransmissions(deps, { invoiceId: b2b.id }));
    const view = await withPlatform(platform, (deps) => getInvoiceTransmission(deps, { invoiceId: b2b.id }));
    expect(view).toMatchObject({ platformConfigured: true, transmittable: true, status: 'encaissee', statusLabel: 'Encaissée', statusAt: '2026-03-20T08:00:00.000Z', lastError: null });
    expect(view.history.map((h) => [h.code, h.label, h.at])).toEqual([
      ['200', 'Déposée', deposit!.receipt.receivedAt],
      ['203', 'Mise à disposition', '2026-03-03T08:00:00.000Z'],
      ['205', 'Approuvée', '2026-03-04T08:00:00.000Z'],
      ['212', 'Encaissée', '2026-03-20T08:00:00.000Z'],
    ]);
    expect(await withPlatform(platform, (deps) => refreshInvoiceTransmissions(deps, {}))).toEqual({ checked: 0, changed: 0, failed: 0 });
    expect((await failure(withPlatform(null, (deps) => refreshInvoiceTransmissions(deps, {})))).code).toBe('BAD_REQUEST');
  });
});

describe('exports of a period', () => {
  const period = ZExportPeriodInput.parse({ from: '2026-04-01', to: '2026-04-30' });

  it('gives B2C e-reporting data: daily per rate and category, credit notes negative, payments for services; the same bytes twice; sums reconcile', async () => {
    t.setNow(new Date('2026-04-02T09:00:00Z'));
    const person = await t.client('person');
    const mixed = await issue(person.id, [line(10_000), line(3_333, 550, 'goods'), line(1_001, 550)]);
    await issue(person.id, [line(2_000, 1000)]);
    await issue((await company('732829320')).id, [line(50_000)]); // B2B: e-invoiced, not reported
    t.setNow(new Date('2026-04-03T09:00:00Z'));
    await withPlatform(null, (deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: mixed.id, reason: 'Geste', amounts: [{ vatRateBasisPoints: 2000, netCents: 1_000 }] })));
    // A schedule invoice, paid on the 11th, its money refunded on the 12th.
    const { event } = await t.signedContract({ clientId: person.id, startDate: '2026-04-01', durationMonths: 1, debitDay: 10 });
    await t.deliver(event);
    const drafted = await t.run((deps) => draftInvoicesFromSchedule(deps, { until: '2026-04-30' }));
    const scheduled = await withPlatform(null, (deps) => issueInvoice(deps, { invoiceId: drafted.invoiceIds[0]! }));
    await t.run(async ({ tx }) => {
      const base = { tenantId: t.owner.tenantId, scheduleItemId: scheduled.scheduleItemIds[0]!, contractId: scheduled.contract!.id, clientId: person.id, amountCents: 2_400 };
      await tx.payment.create({ data: { ...base, outcome: 'received', method: 'sepa_debit', valueDate: new Date('2026-04-11T00:00:00Z') } });
      await tx.payment.create({ data: { ...base, outcome: 'rejected', method: 'sepa_debit', valueDate: new Date('2026-04-12T00:00:00Z'), reasonCode: 'MD06', rTransaction: 'refund', reasonCategory: 'debtor_refund_or_dispute' } });
    });
    t.setNow(new Date('2026-03-02T09:00:00Z'));

    const first = await t.run((deps) => exportEReporting(deps, period));
    const second = await t.run((deps) => exportEReporting(deps, period));
    expect(second.content).toBe(first.content);
    expect(first.fileName).toBe('e-reporting_2026-04-01_2026-04-30.json');
    const data = JSON.parse(first.content) as {
      periodicity: string;
      sales: { documents: number; totals: { netCents: number; vatCents: number; grossCents: number }; daily: Record<string, unknown>[] };
      payments: { reported: boolean; daily: Record<string, unknown>[] };
    };
    expect(data.periodicity).toBe('decade');
    expect(data.sales.daily).toEqual([
      { date: '2026-04-02', category: 'goods', vatCategory: 'S', vatRateBasisPoints: 550, invoices: 1, creditNotes: 0, netCents: 3_333, vatCents: 183, grossCents: 3_516 },
      { date: '2026-04-02', category: 'services', vatCategory: 'S', vatRateBasisPoints: 2000, invoices: 1, creditNotes: 0, netCents: 10_000, vatCents: 2_000, grossCents: 12_000 },
      { date: '2026-04-02', category: 'services', vatCategory: 'S', vatRateBasisPoints: 1000, invoices: 1, creditNotes: 0, netCents: 2_000, vatCents: 200, grossCents: 2_200 },
      { date: '2026-04-02', category: 'services', vatCategory: 'S', vatRateBasisPoints: 550, invoices: 1, creditNotes: 0, netCents: 1_001, vatCents: 55, grossCents: 1_056 },
      { date: '2026-04-03', category: 'services', vatCategory: 'S', vatRateBasisPoints: 2000, invoices: 1, creditNotes: 1, netCents: 1_000, vatCents: 200, grossCents: 1_200 },
    ]);
    // The 5.5 % row's VAT (4,334 × 5.5 % = 238) is shared between goods and services: 183 + 55.
    expect(data.payments).toEqual({
      reported: true,
      reason: null,
      daily: [
        { date: '2026-04-11', vatRateBasisPoints: 2000, collectedCents: 2_400, vatCents: 400 },
        { date: '2026-04-12', vatRateBasisPoints: 2000, collectedCents: -2_400, vatCents: -400 },
      ],
    });
    // Reconciled with the invoices: B2C invoices minus B2C credit notes of the period.
    const sums = await t.run(({ tx }) =>
      tx.invoice.groupBy({
        by: ['kind'],
        where: { tenantId: t.owner.tenantId, buyerKind: 'consumer', status: { not: 'draft' }, issueDate: { gte: new Date('2026-04-01'), lte: new Date('2026-04-30') } },
        _sum: { netCents: true, vatCents: true, grossCents: true },
        _count: true,
      }),
    );
    const of = (kind: string) => sums.find((s) => s.kind === kind)!;
    expect(data.sales.totals).toEqual({
      netCents: of('invoice')._sum.netCents! - of('credit_note')._sum.netCents!,
      vatCents: of('invoice')._sum.vatCents! - of('credit_note')._sum.vatCents!,
      grossCents: of('invoice')._sum.grossCents! - of('credit_note')._sum.grossCents!,
    });
    expect(data.sales.documents).toBe(of('invoice')._count + of('credit_note')._count);

    // With the VAT-on-debits option, no payment data.
    await t.run((deps) => updateInvoiceSettings(deps, { vatOnDebits: true }));
    expect(JSON.parse((await t.run((deps) => exportEReporting(deps, period))).content).payments).toMatchObject({ reported: false, daily: [] });
    await t.run((deps) => updateInvoiceSettings(deps, { vatOnDebits: false }));
  });

  it('writes the FEC-layout journal: the 18 columns, one balanced entry per document, credit notes reversed, the same bytes twice', async () => {
    const journal = await t.run((deps) => exportAccountingJournal(deps, period));
    expect((await t.run((deps) => exportAccountingJournal(deps, period))).content).toBe(journal.content);
    expect(journal.fileName).toBe('443061841FEC20260430.txt');
    const [header, ...rows] = journal.content.trimEnd().split('\r\n');
    expect(header!.split('|')).toEqual([...FEC_COLUMNS]);
    const records = rows.map((r) => Object.fromEntries(r.split('|').map((v, i) => [FEC_COLUMNS[i]!, v])) as Record<(typeof FEC_COLUMNS)[number], string>);
    expect(records.every((r) => Object.keys(r).length === 18 && r.JournalCode === 'VE' && /^\d{8}$/.test(r.EcritureDate) && /^\d+,\d{2}$/.test(r.Debit) && /^\d+,\d{2}$/.test(r.Credit))).toBe(true);
    const cents = (v: string) => Number(v.replace(',', ''));
    const entries = new Map<string, typeof records>();
    for (const r of records) entries.set(r.EcritureNum, [...(entries.get(r.EcritureNum) ?? []), r]);
    const issued = await t.run(({ tx }) =>
      tx.invoice.findMany({ where: { tenantId: t.owner.tenantId, status: { not: 'draft' }, issueDate: { gte: new Date('2026-04-01'), lte: new Date('2026-04-30') } }, select: { number: true, kind: true, grossCents: true } }),
    );
    expect(entries.size).toBe(issued.length);
    expect(journal.entries).toBe(issued.length);
    for (const invoice of issued) {
      const entry = entries.get(invoice.number!)!;
      const debit = entry.reduce((s, r) => s + cents(r.Debit), 0);
      const credit = entry.reduce((s, r) => s + cents(r.Credit), 0);
      expect(debit).toBe(credit); // balanced
      const client = entry.find((r) => r.CompteNum === '411000')!;
      expect(invoice.kind === 'credit_note' ? cents(client.Credit) : cents(client.Debit)).toBe(invoice.grossCents);
      expect(client.CompAuxLib).not.toBe('');
    }
    // The mixed invoice: 706 services per rate, 707 goods, 44571 per rate; its credit note reversed.
    const creditNote = [...entries.values()].find((e) => e[0]!.EcritureLib.startsWith('Avoir'))!;
    expect(creditNote.map((r) => [r.CompteNum, r.Debit, r.Credit])).toEqual([
      ['411000', '0,00', '12,00'],
      ['706000', '10,00', '0,00'],
      ['445710', '2,00', '0,00'],
    ]);
    const mixedEntry = [...entries.values()].find((e) => e.some((r) => r.CompteNum === '707000'))!;
    expect(mixedEntry.map((r) => [r.CompteNum, r.Debit, r.Credit, r.EcritureLib.replace(/^Facture \S+ /, '')])).toEqual([
      ['411000', '165,72', '0,00', 'LEFÈVRE Hélène'],
      ['707000', '0,00', '33,33', 'HT 5,5 %'],
      ['706000', '0,00', '100,00', 'HT 20 %'],
      ['706000', '0,00', '10,01', 'HT 5,5 %'],
      ['445710', '0,00', '20,00', 'TVA 20 %'],
      ['445710', '0,00', '2,38', 'TVA 5,5 %'],
    ]);
  });
});

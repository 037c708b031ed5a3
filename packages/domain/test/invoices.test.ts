import { createHash } from 'node:crypto';
import { withTenant } from '@crm/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anonymiseClient,
  bindHandlerDeps,
  createClient,
  createCreditNote,
  createInvoiceDraft,
  deleteDocument,
  deleteInvoiceDraft,
  exportAuditTrail,
  draftInvoicesFromSchedule,
  getInvoice,
  handleEventOnce,
  handlerDepsFactory,
  handlerOf,
  ISSUE_DUE_INVOICES_JOB,
  issueInvoice,
  listInvoices,
  LocalDiskStorage,
  recordManualPayment,
  sendInvoiceByMail,
  updateInvoiceDraft,
  updateInvoiceSettings,
  ZCreateClientInput,
  ZCreateCreditNoteInput,
  ZCreateInvoiceDraftInput,
  ZListInvoicesInput,
  ZUpdateInvoiceSettingsInput,
  type EventEnvelope,
  type InvoiceDocument,
  type TenantDeps,
} from '../src/index.ts';
import { failure, paymentsTenant } from './payments-fixtures.ts';

// Invoices on the real database, one organisation for the whole file (CI time): drafts, the
// mentions check, issuance, immutability, credit notes, the schedule, settlement, the daily job,
// isolation. The numbering under concurrency has its own file (invoice-numbering.test.ts).

const storage = LocalDiskStorage.temporary('crm-invoices-test');
type T = Awaited<ReturnType<typeof paymentsTenant>>;
let t: T;
const docs = <R>(f: (deps: TenantDeps & { documents: { storage: LocalDiskStorage; maxBytes: number } }) => Promise<R>) =>
  t.run((deps) => f({ ...deps, documents: { storage, maxBytes: 10_000_000 } }));
const freeLine = (unitPriceCents: number, vatRateBasisPoints = 2000, supplyKind: 'goods' | 'services' = 'services') => ({
  label: 'Frais de dossier',
  quantity: 1,
  unitPriceCents,
  vatRateBasisPoints,
  supplyKind,
});

beforeAll(async () => {
  t = await paymentsTenant({ now: new Date('2026-03-02T09:00:00Z') });
});

async function companyClient(siren: string | null = '732829320') {
  const { client } = await t.run((deps) =>
    createClient(
      deps,
      ZCreateClientInput.parse({
        kind: 'company',
        companyName: `Garage ${siren ?? 'sans SIREN'}`,
        legalForm: 'SARL',
        ...(siren ? { siren } : {}),
        address: { line1: '1 route de Lyon', postalCode: '69000', city: 'Lyon' },
        ignoreDuplicates: true,
      }),
    ),
  );
  return client!;
}

async function completeSeller() {
  await t.run(({ tx }) =>
    tx.organisation.update({
      where: { id: t.owner.tenantId },
      data: { legalForm: 'SAS', siren: '443061841', vatNumber: 'FR64443061841', addressLine1: '10 rue de la Paix', postalCode: '75002', city: 'Paris', contactEmail: 'factures@example.test' },
    }),
  );
  await t.run((deps) => updateInvoiceSettings(deps, ZUpdateInvoiceSettingsInput.parse({ shareCapitalCents: 1_000_000, rcsCity: 'Paris', vatOnDebits: true })));
}

describe('issuing', () => {
  it('refuses while mandatory mentions are missing, listing them, then issues with a number, a frozen snapshot and its artefacts', async () => {
    const client = await t.client('person');
    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [freeLine(10_000)] })));
    expect(draft).toMatchObject({ status: 'draft', number: null, netCents: 10_000, vatCents: 2_000, grossCents: 12_000, series: 'b2c' });

    const refused = await failure(docs((deps) => issueInvoice(deps, { invoiceId: draft.id })));
    expect(refused.code).toBe('CONFLICT');
    expect(Object.keys(refused.fieldErrors ?? {}).sort()).toEqual(['seller.address', 'seller.legalForm', 'seller.rcsCity', 'seller.shareCapital', 'seller.siren', 'seller.vatNumber']);
    expect(refused.message).toContain('Capital social du vendeur');
    // Refused before any number was taken: the first issued invoice is still n° 1.
    await completeSeller();
    const issued = await docs((deps) => issueInvoice(deps, { invoiceId: draft.id }));
    expect(issued).toMatchObject({ status: 'issued', number: 'FA-2026-000001', issueDate: '2026-03-02', dueDate: '2026-04-01', editable: false });
    expect(issued.documents.map((d) => d.kind)).toContain('invoice_json');
    expect(issued.documents.find((d) => d.kind === 'invoice_json')!.sha256).toBe(issued.snapshotSha256);

    const [event] = await t.outbox('invoice.created');
    expect(event!.payload).toEqual({ invoiceId: draft.id, clientId: client.id, number: 'FA-2026-000001', totalCents: 12_000, dueDate: '2026-04-01' });
  });

  it('gives a consumer none of the B2B mentions, and a business buyer PMT, PMD, AAB, VAT on debits and the operation category', async () => {
    const person = await t.client('person');
    const b2c = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: person.id, lines: [freeLine(5_000)] })));
    await docs((deps) => issueInvoice(deps, { invoiceId: b2c.id }));
    const company = await companyClient();
    const b2b = await t.run((deps) =>
      createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: company.id, lines: [freeLine(5_000, 2000, 'goods'), freeLine(1_000, 1000)], purchaseOrder: 'BC-77' })),
    );
    expect(b2b.series).toBe('b2b');
    await docs((deps) => issueInvoice(deps, { invoiceId: b2b.id }));

    const snapshot = async (id: string) => (await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id } }))).snapshot as unknown as InvoiceDocument;
    const consumer = await snapshot(b2c.id);
    expect(consumer.buyerKind).toBe('consumer');
    expect(consumer.notes).toEqual([]);
    expect(consumer.buyer).toMatchObject({ siren: null, vatNumber: null });
    expect(consumer.buyer.name).toMatch(/Lefèvre/i);
    expect(JSON.stringify(consumer)).not.toMatch(/40 €|Pénalités|escompte|débits/);
    expect(consumer.seller).toMatchObject({ name: 'Société Test SAS', legalForm: 'SAS', shareCapitalCents: 1_000_000, rcsCity: 'RCS Paris', siren: '443061841' });

    const business = await snapshot(b2b.id);
    expect(business.number).toBe('FB-2026-000001');
    expect(business.notes.map((n) => n.subjectCode)).toEqual(['PMT', 'PMD', 'AAB', 'TXD']);
    expect(business.notes[0]!.text).toContain('40 €');
    expect(business.notes[3]!.text).toBe("Option pour le paiement de la taxe d'après les débits");
    expect(business.operationCategory).toBe('mixed');
    expect(business.buyer.siren).toBe('732829320');
    expect(business.purchaseOrder).toBe('BC-77');
    expect(business.vatBreakdown).toEqual([
      { category: 'S', rateBasisPoints: 2000, taxableCents: 5_000, vatCents: 1_000, exemptionReason: null },
      { category: 'S', rateBasisPoints: 1000, taxableCents: 1_000, vatCents: 100, exemptionReason: null },
    ]);
    expect(business.totals).toEqual({ netCents: 6_000, vatCents: 1_100, grossCents: 7_100, prepaidCents: 0, dueCents: 7_100 });

    // The snapshot as stored hashes to its sha256, the JSON artefact's bytes.
    const stored = await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id: b2b.id } }));
    expect(createHash('sha256').update(`${JSON.stringify(stored.snapshot, null, 2)}\n`).digest('hex')).toBe(stored.snapshotSha256);
    // The whole snapshots, reviewed as files (also sample inputs for the PDF and CII renderers).
    await expect(`${JSON.stringify(consumer, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/invoice-document-b2c.json');
    await expect(`${JSON.stringify(business, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/invoice-document-b2b.json');

    const noSiren = await companyClient(null);
    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: noSiren.id, lines: [freeLine(100)] })));
    const refused = await failure(docs((deps) => issueInvoice(deps, { invoiceId: draft.id })));
    expect(refused.code).toBe('CONFLICT');
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(['buyer.siren']);
  });

  it('keeps an issued invoice as issued: update, delete, a second issue and its files answer CONFLICT; the database refuses too', async () => {
    const client = await t.client('person');
    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [freeLine(2_000)] })));
    const changed = await t.run((deps) => updateInvoiceDraft(deps, { invoiceId: draft.id, lines: [freeLine(3_000)], purchaseOrder: 'PO-1' }));
    expect(changed).toMatchObject({ netCents: 3_000, grossCents: 3_600, purchaseOrder: 'PO-1' });
    const issued = await docs((deps) => issueInvoice(deps, { invoiceId: draft.id }));

    const update = await failure(t.run((deps) => updateInvoiceDraft(deps, { invoiceId: draft.id, purchaseOrder: 'PO-2' })));
    expect(update).toMatchObject({ code: 'CONFLICT' });
    expect(update.message).toContain(`La facture ${issued.number} est émise`);
    expect((await failure(t.run((deps) => deleteInvoiceDraft(deps, { invoiceId: draft.id })))).code).toBe('CONFLICT');
    expect((await failure(docs((deps) => issueInvoice(deps, { invoiceId: draft.id })))).code).toBe('CONFLICT');
    const file = issued.documents[0]!;
    const refusedDelete = await failure(docs((deps) => deleteDocument(deps, { documentId: file.id })));
    expect(refusedDelete.code).toBe('CONFLICT');
    expect(refusedDelete.message).toContain('dix ans');
    // Below the domain, the trigger: no change of what was issued, no delete.
    await expect(t.run(({ tx }) => tx.invoice.update({ where: { id: draft.id }, data: { grossCents: 1, netCents: 1, vatCents: 0 } }))).rejects.toThrow();
    await expect(t.run(({ tx }) => tx.invoiceLine.deleteMany({ where: { invoiceId: draft.id } }))).rejects.toThrow();
    await expect(t.run(({ tx }) => tx.invoice.delete({ where: { id: draft.id } }))).rejects.toThrow();
    expect((await t.run((deps) => getInvoice(deps, { invoiceId: draft.id }))).grossCents).toBe(3_600);

    // A draft goes without a trace in the numbering.
    const other = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [freeLine(100)] })));
    await t.run((deps) => deleteInvoiceDraft(deps, { invoiceId: other.id }));
    expect((await failure(t.run((deps) => getInvoice(deps, { invoiceId: other.id })))).code).toBe('NOT_FOUND');
  });
});

describe('credit notes', () => {
  it('credit per VAT rate, never above what remains, in their own series, and cancel an invoice credited in full', async () => {
    const company = await companyClient('123456782');
    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: company.id, lines: [freeLine(10_000), freeLine(2_000, 550)] })));
    const invoice = await docs((deps) => issueInvoice(deps, { invoiceId: draft.id }));

    const tooMuch = await failure(
      docs((deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'Geste commercial', amounts: [{ vatRateBasisPoints: 2000, netCents: 10_001 }] }))),
    );
    expect(tooMuch.code).toBe('BAD_REQUEST');
    expect(Object.keys(tooMuch.fieldErrors ?? {})).toEqual(['amounts.0.netCents']);
    const unknownRate = await failure(
      docs((deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'x', amounts: [{ vatRateBasisPoints: 850, netCents: 1 }] }))),
    );
    expect(Object.keys(unknownRate.fieldErrors ?? {})).toEqual(['amounts.0.vatRateBasisPoints']);

    const partial = await docs((deps) =>
      createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'Geste commercial', amounts: [{ vatRateBasisPoints: 2000, netCents: 4_000 }] })),
    );
    expect(partial).toMatchObject({ kind: 'credit_note', series: 'credit_note', number: 'AV-2026-000001', netCents: 4_000, vatCents: 800, grossCents: 4_800 });
    const creditSnapshot = (await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id: partial.id } }))).snapshot as unknown as InvoiceDocument;
    expect(creditSnapshot).toMatchObject({ typeCode: '381', preceding: { number: invoice.number, issueDate: invoice.issueDate }, dueDate: null });
    expect(creditSnapshot.notes[0]).toMatchObject({ subjectCode: 'AAI' });
    expect(await t.run((deps) => getInvoice(deps, { invoiceId: invoice.id }))).toMatchObject({ status: 'issued', creditedCents: 4_800 });

    // 6,000 remain at 20 %: asking 6,001 is refused; the rest (no amounts) cancels the invoice.
    const over = await failure(
      docs((deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'x', amounts: [{ vatRateBasisPoints: 2000, netCents: 6_001 }] }))),
    );
    expect(over.code).toBe('BAD_REQUEST');
    const rest = await docs((deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'Annulation' })));
    expect(rest).toMatchObject({ number: 'AV-2026-000002', netCents: 8_000, grossCents: 7_200 + 2_110 });
    expect(await t.run((deps) => getInvoice(deps, { invoiceId: invoice.id }))).toMatchObject({ status: 'cancelled', remainingCents: 0 });
    expect((await failure(docs((deps) => createCreditNote(deps, ZCreateCreditNoteInput.parse({ invoiceId: invoice.id, reason: 'x' }))))).code).toBe('CONFLICT');
    const events = await t.outbox('credit_note.created');
    expect(events.map((e) => (e.payload as { number: string }).number)).toEqual(['AV-2026-000001', 'AV-2026-000002']);
    expect(events[0]!.payload).toMatchObject({ invoiceId: invoice.id, invoiceNumber: invoice.number, totalCents: 4_800 });
  });
});

describe('from the schedule', () => {
  it('drafts each due item once, none for a cancelled contract, issues them early enough, and settles them by payments', async () => {
    const invoices = bindHandlerDeps(handlerOf('invoices')!, handlerDepsFactory({ storage, clock: () => new Date('2026-03-02T09:00:00Z') }));
    const client = await t.client('person');
    const { event } = await t.signedContract({ clientId: client.id, startDate: '2026-03-01', durationMonths: 3, debitDay: 10 });
    await t.deliver(event);
    const cancelledClient = await t.client('person');
    const cancelled = await t.signedContract({ clientId: cancelledClient.id, startDate: '2026-03-01', durationMonths: 3, debitDay: 10 });
    await t.deliver(cancelled.event);
    await t.run(({ tx }) => tx.contract.update({ where: { id: cancelled.contract.id }, data: { status: 'cancelled' } }));

    const first = await t.run((deps) => draftInvoicesFromSchedule(deps, { until: '2026-04-30' }));
    expect(first.created).toBe(2); // March and April of the live contract only
    expect((await t.run((deps) => draftInvoicesFromSchedule(deps, { until: '2026-04-30' }))).created).toBe(0);
    const drafts = await Promise.all(first.invoiceIds.map((id) => t.run((deps) => getInvoice(deps, { invoiceId: id }))));
    expect(drafts.map((d) => [d.client.id, d.periodStart, d.debitDate, d.grossCents])).toEqual([
      [client.id, '2026-03-01', '2026-03-10', 2_400],
      [client.id, '2026-04-01', '2026-04-10', 2_400],
    ]);

    // The daily job (organisation opted in): issues what is debited within the notice days, no earlier.
    await t.run((deps) => updateInvoiceSettings(deps, { invoiceAutoIssue: true, invoiceNoticeDays: 14 }));
    const runJob = (today: string) =>
      withTenant(t.auth.db, t.owner.tenantId, (tx) =>
        ISSUE_DUE_INVOICES_JOB.run(
          { tx, tenantId: t.owner.tenantId, now: new Date(`${today}T06:00:00Z`), today, timeZone: 'Europe/Paris', job: { id: 'x', kind: 'invoices.issue_due', key: 'daily', attempt: 1, runAt: new Date() }, storage },
          {},
        ),
      );
    const job = await runJob('2026-03-02');
    expect(job).toMatchObject({ issued: 1, incomplete: [] });
    const march = await t.run((deps) => getInvoice(deps, { invoiceId: first.invoiceIds[0]! }));
    expect(march).toMatchObject({ status: 'issued', dueDate: '2026-03-10', mandate: { rum: expect.stringMatching(/^RUM-/) }, debits: [{ dueDate: '2026-03-10', amountCents: 2_400, status: 'planned' }] });
    const snapshot = (await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id: march.id } }))).snapshot as unknown as InvoiceDocument;
    expect(snapshot.payment).toMatchObject({ meansCode: '59', debitDate: '2026-03-10' });
    expect(snapshot.payment.mandateReference).toMatch(/\S/);
    expect(snapshot.payment.terms).toContain('Prélèvement SEPA de 24,00');
    expect((await t.run((deps) => getInvoice(deps, { invoiceId: first.invoiceIds[1]! }))).status).toBe('draft');
    // Past its debit date with the debit under way, it is not late: the bank settles days later.
    expect(await runJob('2026-03-11')).toMatchObject({ overdue: 0, issued: 0 });
    expect((await t.run((deps) => getInvoice(deps, { invoiceId: march.id }))).status).toBe('issued');

    // The email group mails it once, the PDF attached: for a debit it is the pre-notification.
    await t.run(({ tx }) => tx.client.update({ where: { id: client.id }, data: { email: 'helene.invoices@example.test' } }));
    const email = bindHandlerDeps(handlerOf('email')!, handlerDepsFactory({ storage, clock: () => new Date('2026-03-02T09:00:00Z') }));
    const issuedEvent = (await t.outbox('invoice.created')).find((e) => (e.payload as { invoiceId: string }).invoiceId === march.id)!;
    const issuedEnvelope = { id: issuedEvent.id, type: issuedEvent.type, tenantId: issuedEvent.tenantId, occurredAt: issuedEvent.occurredAt.toISOString(), payload: issuedEvent.payload } as EventEnvelope;
    await handleEventOnce(t.auth.db, email, issuedEnvelope);
    await handleEventOnce(t.auth.db, email, issuedEnvelope);
    const mails = await t.run(({ tx }) => tx.outgoingEffect.findMany({ where: { template: 'invoice.issued', clientId: client.id } }));
    expect(mails).toHaveLength(1);
    const pdf = await t.run(({ tx }) => tx.document.findFirstOrThrow({ where: { invoiceId: march.id, kind: 'invoice_pdf' } }));
    expect(mails[0]).toMatchObject({ recipient: 'helene.invoices@example.test', subject: `Votre facture ${march.number}`, attachments: [pdf.id] });
    expect(mails[0]!.textBody).toMatch(/sera prélevé le 10\/03\/2026 sur votre compte .*au titre du mandat RUM-.*identifiant créancier SEPA FR.*pré-notification/s);
    // "Envoyer par e-mail": each demand a new mail, audited; a draft cannot be sent.
    await t.run((deps) => sendInvoiceByMail(deps, { invoiceId: march.id }));
    expect(await t.run((deps) => sendInvoiceByMail(deps, { invoiceId: march.id }))).toMatchObject({ recipient: 'helene.invoices@example.test' });
    expect((await t.run(({ tx }) => tx.outgoingEffect.findMany({ where: { idempotencyKey: { startsWith: `invoice.sent:${march.id}:` } }, orderBy: { createdAt: 'asc' } }))).map((m) => m.idempotencyKey)).toEqual([
      `invoice.sent:${march.id}:1`,
      `invoice.sent:${march.id}:2`,
    ]);
    expect((await failure(t.run((deps) => sendInvoiceByMail(deps, { invoiceId: first.invoiceIds[1]! })))).code).toBe('CONFLICT');
    // April's debit cancelled (the contract ended early): its draft goes, and no new one comes.
    const april = (await t.run((deps) => getInvoice(deps, { invoiceId: first.invoiceIds[1]! }))).scheduleItemIds[0]!;
    await t.run(({ tx }) => tx.scheduleItem.update({ where: { id: april }, data: { status: 'cancelled' } }));
    expect((await t.run((deps) => draftInvoicesFromSchedule(deps, { until: '2026-04-30' }))).created).toBe(0);
    expect((await failure(t.run((deps) => getInvoice(deps, { invoiceId: first.invoiceIds[1]! })))).code).toBe('NOT_FOUND');

    // Paid, then the money taken back (a return): paid, invoice.paid once, then reopened.
    const [item] = march.scheduleItemIds;
    t.setNow(new Date('2026-03-12T09:00:00Z'));
    const payment = await t.run((deps) => recordManualPayment(deps, { scheduleItemId: item!, method: 'transfer', receivedOn: '2026-03-11' }));
    const received = (await t.outbox('payment.received')).find((e) => (e.payload as { paymentId: string }).paymentId === payment.id)!;
    const envelope = (e: typeof received) => ({ id: e.id, type: e.type, tenantId: e.tenantId, occurredAt: e.occurredAt.toISOString(), payload: e.payload }) as EventEnvelope;
    await handleEventOnce(t.auth.db, invoices, envelope(received));
    await handleEventOnce(t.auth.db, invoices, envelope(received)); // a replay changes nothing
    expect(await t.run((deps) => getInvoice(deps, { invoiceId: march.id }))).toMatchObject({ status: 'paid', paidCents: 2_400, remainingCents: 0 });
    expect((await t.outbox('invoice.paid')).map((e) => e.payload)).toEqual([{ invoiceId: march.id, clientId: client.id, number: march.number, paidCents: 2_400, paidOn: '2026-03-11' }]);

    const rejected = await t.run(async ({ tx }) => {
      const row = await tx.payment.create({
        data: { tenantId: t.owner.tenantId, scheduleItemId: item!, contractId: march.contract!.id, clientId: client.id, outcome: 'rejected', method: 'sepa_debit', amountCents: 2_400, valueDate: new Date('2026-03-12T00:00:00Z'), reasonCode: 'MD06', rTransaction: 'refund', reasonCategory: 'debtor_refund_or_dispute' },
      });
      await tx.scheduleItem.update({ where: { id: item! }, data: { status: 'rejected' } });
      return row;
    });
    const rejection = await t.emit('payment.rejected', { paymentId: rejected.id, clientId: client.id, contractId: march.contract!.id, amountCents: 2_400, reasonCode: 'MD06', rejectedOn: '2026-03-12' });
    await handleEventOnce(t.auth.db, invoices, rejection);
    expect(await t.run((deps) => getInvoice(deps, { invoiceId: march.id }))).toMatchObject({ status: 'issued', paidCents: 0, remainingCents: 2_400 });
    // Its debit rejected and its due date past, it is late.
    expect(await runJob('2026-03-20')).toMatchObject({ overdue: 1 });
    expect((await t.run((deps) => getInvoice(deps, { invoiceId: march.id }))).status).toBe('overdue');

    // The audit trail: invoice -> contract -> mandate -> debit -> what the bank did, with the snapshot's sha256; same data, same bytes.
    const trail = await t.run((deps) => exportAuditTrail(deps, { from: '2026-03-01', to: '2026-03-31' }));
    const row = trail.content.split('\r\n').find((l) => l.startsWith(`"${march.number}"`))!;
    const sha = (await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id: march.id } }))).snapshotSha256!;
    expect(row).toBe(
      [march.number, 'Facture', '2026-03-02', march.client.displayName, march.contract!.number, march.mandate!.rum, '24,00', '2026-03-10', '24,00', '', 'Rejeté', '2026-03-11 reçu 24,00 / 2026-03-12 rejeté (MD06) 24,00', '', sha]
        .map((cell) => `"${cell}"`)
        .join(';'),
    );
    expect((await t.run((deps) => exportAuditTrail(deps, { from: '2026-03-01', to: '2026-03-31' }))).content).toBe(trail.content);
    t.setNow(new Date('2026-03-02T09:00:00Z'));
  });

  it('groups a client’s items of a month into one invoice when the organisation asks', async () => {
    await t.run((deps) => updateInvoiceSettings(deps, { invoiceGrouping: 'per_client_month' }));
    const client = await t.client('person');
    const a = await t.signedContract({ clientId: client.id, startDate: '2026-05-01', durationMonths: 1, debitDay: 10 });
    const b = await t.signedContract({ clientId: client.id, startDate: '2026-05-01', durationMonths: 1, debitDay: 12, lines: [{ quantity: 1, unitPriceCents: 5_000, vatRateBasisPoints: 2_000 }] });
    await t.deliver(a.event);
    await t.deliver(b.event);
    const drafted = await t.run((deps) => draftInvoicesFromSchedule(deps, { until: '2026-05-31' }));
    const mine = (await Promise.all(drafted.invoiceIds.map((id) => t.run((deps) => getInvoice(deps, { invoiceId: id }))))).filter((i) => i.client.id === client.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ contract: null, scheduleItemIds: expect.arrayContaining([expect.any(String), expect.any(String)]), grossCents: 2_400 + 6_000 });
    await t.run((deps) => updateInvoiceSettings(deps, { invoiceGrouping: 'per_item' }));
  });
});

describe('reading, input, isolation and erasure', () => {
  it('lists by keyset with filters, refuses bad input field by field, hides other organisations, and keeps invoices through an erasure', async () => {
    const page1 = await t.run((deps) => listInvoices(deps, ZListInvoicesInput.parse({ limit: 2 })));
    expect(page1.items).toHaveLength(2);
    const page2 = await t.run((deps) => listInvoices(deps, ZListInvoicesInput.parse({ limit: 2, cursor: page1.nextCursor! })));
    expect(page2.items.map((i) => i.id)).not.toContain(page1.items[0]!.id);
    const b2b = await t.run((deps) => listInvoices(deps, ZListInvoicesInput.parse({ series: 'b2b', status: 'issued' })));
    expect(b2b.items.every((i) => i.number?.startsWith('FB-'))).toBe(true);
    expect((await failure(t.run((deps) => listInvoices(deps, ZListInvoicesInput.parse({ cursor: 'abc' })))) ).fieldErrors).toHaveProperty('cursor');

    const bad = ZCreateInvoiceDraftInput.safeParse({ clientId: 'nope', lines: [{ quantity: 0, unitPriceCents: -1 }], periodStart: '2026-03-10', periodEnd: '2026-03-01' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['clientId', 'lines.0.quantity', 'lines.0.unitPriceCents', 'periodEnd']);
    const client = await t.client('person');
    const noPrice = await failure(t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [{ label: 'x', quantity: 1 }] }))));
    expect(noPrice).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'lines.0.unitPriceCents': ['Prix requis'], 'lines.0.vatRateBasisPoints': ['Taux de TVA requis'] } });

    const other = await paymentsTenant();
    const foreign = page1.items[0]!.id;
    const calls = [
      () => other.run((deps) => getInvoice(deps, { invoiceId: foreign })),
      () => other.run((deps) => updateInvoiceDraft(deps, { invoiceId: foreign, purchaseOrder: 'x' })),
      () => other.run((deps) => deleteInvoiceDraft(deps, { invoiceId: foreign })),
      () => other.run((deps) => issueInvoice({ ...deps, documents: { storage, maxBytes: 1 } }, { invoiceId: foreign })),
      () => other.run((deps) => createCreditNote({ ...deps, documents: { storage, maxBytes: 1 } }, { invoiceId: foreign, reason: 'x' })),
      () => other.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [freeLine(1)] }))),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe('NOT_FOUND');
    expect((await other.run((deps) => listInvoices(deps, ZListInvoicesInput.parse({})))).items).toEqual([]);

    const draft = await t.run((deps) => createInvoiceDraft(deps, ZCreateInvoiceDraftInput.parse({ clientId: client.id, lines: [freeLine(1_000)] })));
    const issued = await docs((deps) => issueInvoice(deps, { invoiceId: draft.id }));
    const erased = await t.run((deps) => anonymiseClient(deps, { clientId: client.id, confirm: true }));
    expect(erased.legalRetention.keptInvoices).toBe(1);
    expect(erased.legalRetention.notice).toContain('dix ans');
    const kept = await t.run(({ tx }) => tx.invoice.findUniqueOrThrow({ where: { id: issued.id } }));
    expect((kept.snapshot as unknown as InvoiceDocument).buyer.name).toMatch(/Lefèvre/i);
    expect(kept.snapshotSha256).toBe(issued.snapshotSha256);
  });
});

import { describe, expect, it } from 'vitest';
import { formatInvoiceNumber, invoiceTotals, missingMentions, settledStatus, vatBreakdown, type InvoiceDocument } from '../src/index.ts';

// The pure rules of invoices, without a database.

const line = (netCents: number, vatRateBasisPoints: number, vatCategory: 'S' | 'E' | 'Z' = 'S', vatExemptionReason: string | null = null) => ({ netCents, vatRateBasisPoints, vatCategory, vatExemptionReason });

describe('invoice rules', () => {
  it('rounds VAT once per rate (not per line), rate descending, exempt rows keeping their mention', () => {
    // Three lines of 0.33 at 20 %: 0.07 VAT each when rounded per line (0.21), 0.20 when rounded once on the rate's 0.99.
    expect(vatBreakdown([line(33, 2000), line(33, 2000), line(33, 2000), line(1_000, 550), line(500, 0, 'E', 'Exonération de TVA, article 261 C du CGI')])).toEqual([
      { category: 'S', rateBasisPoints: 2000, taxableCents: 99, vatCents: 20, exemptionReason: null },
      { category: 'S', rateBasisPoints: 550, taxableCents: 1_000, vatCents: 55, exemptionReason: null },
      { category: 'E', rateBasisPoints: 0, taxableCents: 500, vatCents: 0, exemptionReason: 'Exonération de TVA, article 261 C du CGI' },
    ]);
    expect(invoiceTotals([line(99, 2000), line(1_000, 550)])).toMatchObject({ netCents: 1_099, vatCents: 75, grossCents: 1_174 });
  });

  it('numbers with the year when the series resets yearly, without it otherwise', () => {
    expect(formatInvoiceNumber('FA', true, '2026', 42)).toBe('FA-2026-000042');
    expect(formatInvoiceNumber('FB', false, '2026', 1_234_567)).toBe('FB-1234567');
  });

  it('settles: cancelled only when credited in full, paid when nothing remains, partly paid, overdue past the due date', () => {
    const base = { grossCents: 1_000, paidCents: 0, creditedCents: 0, dueDate: '2026-03-10' };
    expect(settledStatus(base, '2026-03-10')).toBe('issued');
    expect(settledStatus(base, '2026-03-11')).toBe('overdue');
    expect(settledStatus({ ...base, awaitingDebit: true }, '2026-03-11')).toBe('issued');
    expect(settledStatus({ ...base, paidCents: 400 }, '2026-03-11')).toBe('partly_paid');
    expect(settledStatus({ ...base, paidCents: 600, creditedCents: 400 }, '2026-03-11')).toBe('paid');
    expect(settledStatus({ ...base, paidCents: 0, creditedCents: 1_000 }, '2026-03-11')).toBe('cancelled');
  });

  it('asks a franchise seller for no VAT number, and a credit note for the invoice it corrects instead of a due date', () => {
    const doc = {
      typeCode: '381', number: 'AV-1', issueDate: '2026-03-02', dueDate: null, currency: 'EUR', buyerKind: 'consumer',
      seller: { name: 'EI Martin', tradingName: null, legalForm: 'EI', shareCapitalCents: null, siren: '443061841', siret: null, rcsCity: 'RCS Paris', vatNumber: null, address: { line1: '1 rue A', line2: null, postalCode: '75001', city: 'Paris', country: 'FR' }, email: null, vatOnDebits: false },
      buyer: { name: 'Client', siren: null, vatNumber: null, address: { line1: '2 rue B', line2: null, postalCode: '33000', city: 'Bordeaux', country: 'FR' }, email: null, reference: null },
      period: null, deliveryDate: '2026-03-01', operationCategory: 'services', contractNumber: null, purchaseOrder: null, preceding: null,
      lines: [{ position: 1, label: 'Service', quantity: 1, unitPriceCents: 100, netCents: 100, vatCategory: 'E', vatRateBasisPoints: 0, period: null }],
      vatBreakdown: [{ category: 'E', rateBasisPoints: 0, taxableCents: 100, vatCents: 0, exemptionReason: 'TVA non applicable, art. 293 B du CGI' }],
      totals: { netCents: 100, vatCents: 0, grossCents: 100, prepaidCents: 0, dueCents: 100 },
      payment: { meansCode: '58', mandateReference: null, creditorId: null, debtorIban: null, debitDate: null, creditorIban: null, creditorBic: null, terms: 'Virement' },
      notes: [],
    } satisfies InvoiceDocument;
    expect(missingMentions(doc, { vatFranchise: true }).map((m) => m.field)).toEqual(['preceding']);
    expect(missingMentions(doc, { vatFranchise: false }).map((m) => m.field)).toEqual(['seller.vatNumber', 'preceding']);
  });
});

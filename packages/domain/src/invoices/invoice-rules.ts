import { vatOfLine } from '../shared/money.ts';
import type { InvoiceVatRow } from './invoice-document.ts';
import type { InvoiceStatus } from './invoices.schema.ts';

// Pure rules of invoices: no database, no clock.

export interface LineAmounts {
  netCents: number;
  vatCategory: 'S' | 'E' | 'Z';
  vatRateBasisPoints: number;
  vatExemptionReason: string | null;
}

/**
 * One row per VAT category and rate (BG-23), rate descending then category; the VAT of a row is
 * rounded half-up on the row's taxable amount, not summed from lines (EN 16931 BR-CO-17).
 */
export function vatBreakdown(lines: readonly LineAmounts[]): InvoiceVatRow[] {
  const rows = new Map<string, InvoiceVatRow>();
  for (const line of lines) {
    const key = `${line.vatCategory}:${line.vatRateBasisPoints}`;
    const row = rows.get(key) ?? {
      category: line.vatCategory,
      rateBasisPoints: line.vatRateBasisPoints,
      taxableCents: 0,
      vatCents: 0,
      exemptionReason: line.vatCategory === 'E' ? line.vatExemptionReason : null,
    };
    row.taxableCents += line.netCents;
    rows.set(key, row);
  }
  return [...rows.values()]
    .map((row) => ({ ...row, vatCents: row.category === 'S' ? vatOfLine(row.taxableCents, row.rateBasisPoints) : 0 }))
    .sort((a, b) => b.rateBasisPoints - a.rateBasisPoints || a.category.localeCompare(b.category));
}

export function invoiceTotals(lines: readonly LineAmounts[]) {
  const rows = vatBreakdown(lines);
  const netCents = rows.reduce((sum, row) => sum + row.taxableCents, 0);
  const vatCents = rows.reduce((sum, row) => sum + row.vatCents, 0);
  return { netCents, vatCents, grossCents: netCents + vatCents, rows };
}

/** A line's VAT category: S at a positive rate, E when exempt with its reason, Z at 0 % otherwise. */
export function vatCategoryOf(rateBasisPoints: number, exemptionReason: string | null | undefined): 'S' | 'E' | 'Z' {
  if (exemptionReason) return 'E';
  return rateBasisPoints > 0 ? 'S' : 'Z';
}

/** BT-23: B1 goods, S1 services, M1 both. */
export function operationCategory(kinds: readonly string[]): 'goods' | 'services' | 'mixed' {
  const goods = kinds.includes('goods');
  const services = kinds.some((kind) => kind !== 'goods');
  if (goods && services) return 'mixed';
  return goods ? 'goods' : 'services';
}

/**
 * `FA-2026-000042` with a yearly reset (the year keeps the series continuous within it, BOI-TVA-DECLA-30-20-20 §121-124),
 * `FA-000042` without.
 */
export function formatInvoiceNumber(prefix: string, yearlyReset: boolean, year: string, value: number): string {
  const digits = String(value).padStart(6, '0');
  return yearlyReset ? `${prefix}-${year}-${digits}` : `${prefix}-${digits}`;
}

/** The counter row a series takes its numbers from (one per year when it resets yearly). */
export const seriesCounterName = (series: string, yearlyReset: boolean, year: string): string =>
  yearlyReset ? `invoice:${series}:${year}` : `invoice:${series}`;

/**
 * Where an issued invoice stands from what was paid and credited: fully credited is cancelled
 * (the only way to cancel one), nothing left to pay is paid, something paid is partly paid,
 * otherwise issued, or overdue past its due date. An invoice paid by a SEPA debit still under way
 * (`awaitingDebit`: none of its debits rejected) is not late: the bank settles a debit days after
 * its date, and only a rejection makes the amount owed again.
 */
export function settledStatus(
  invoice: { grossCents: number; paidCents: number; creditedCents: number; dueDate: string | null; awaitingDebit?: boolean },
  today: string,
): InvoiceStatus {
  if (invoice.creditedCents >= invoice.grossCents && invoice.grossCents > 0) return 'cancelled';
  const remaining = invoice.grossCents - invoice.creditedCents - invoice.paidCents;
  if (remaining <= 0) return 'paid';
  if (invoice.paidCents > 0) return 'partly_paid';
  return invoice.dueDate && invoice.dueDate < today && !invoice.awaitingDebit ? 'overdue' : 'issued';
}

/** Whether an invoice's money is on its way by SEPA debit: paid by debit, and no debit of it rejected. */
export const awaitsDebit = (paymentMethod: string, itemStatuses: readonly string[]): boolean =>
  paymentMethod === 'sepa_debit' && !itemStatuses.includes('rejected');

/** Adds calendar days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export const DEFAULT_PAYMENT_DAYS = 30;

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Brouillon',
  issued: 'Émise',
  partly_paid: 'Partiellement payée',
  paid: 'Payée',
  overdue: 'En retard',
  cancelled: 'Annulée par avoir',
};

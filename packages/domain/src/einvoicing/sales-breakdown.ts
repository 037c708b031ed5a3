import type { Tx } from '@crm/db';
import type { InvoiceDocument } from '../invoices/invoice-document.ts';

// What the accounting journal and the e-reporting read from issued invoices: their amounts
// per supply kind (goods or services) and VAT rate. Pure functions apart from the loader.

export interface SalesGroup {
  supplyKind: 'goods' | 'services';
  vatCategory: 'S' | 'E' | 'Z';
  vatRateBasisPoints: number;
  netCents: number;
  /** The invoice's VAT of the rate, shared between goods and services by their net (largest remainder). */
  vatCents: number;
}

/**
 * Splits `total` over `weights` in proportion, in whole cents that add up to `total` exactly:
 * floors first, then one cent each to the largest remainders (ties: the earlier weight).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = weights.map((w) => (abs * w) / sum);
  const parts = exact.map(Math.floor);
  let left = abs - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left--;
  }
  return parts.map((p) => p * sign);
}

const KINDS = ['goods', 'services'] as const;

/**
 * One issued document's amounts per (supply kind, VAT category, rate), in a stable order (goods
 * before services, rate descending). Nets are the lines'; each rate's VAT is the snapshot's
 * (BG-23), so the groups add up to the invoice's totals exactly.
 */
export function salesGroups(
  lines: readonly { supplyKind: string; vatCategory: string; vatRateBasisPoints: number; netCents: number }[],
  vatRows: InvoiceDocument['vatBreakdown'],
): SalesGroup[] {
  const groups: SalesGroup[] = [];
  for (const row of vatRows) {
    const nets = KINDS.map((kind) =>
      lines
        .filter((l) => (l.supplyKind === 'goods' ? 'goods' : 'services') === kind && l.vatCategory === row.category && l.vatRateBasisPoints === row.rateBasisPoints)
        .reduce((sum, l) => sum + l.netCents, 0),
    );
    const vats = allocate(row.vatCents, nets);
    KINDS.forEach((kind, i) => {
      if (nets[i] === 0 && vats[i] === 0) return;
      groups.push({ supplyKind: kind, vatCategory: row.category, vatRateBasisPoints: row.rateBasisPoints, netCents: nets[i]!, vatCents: vats[i]! });
    });
  }
  return groups.sort((a, b) => KINDS.indexOf(a.supplyKind) - KINDS.indexOf(b.supplyKind) || b.vatRateBasisPoints - a.vatRateBasisPoints || a.vatCategory.localeCompare(b.vatCategory));
}

const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The issued invoices and credit notes whose issue date falls in the period, by date then number. */
export async function loadIssuedInPeriod(tx: Tx, tenantId: string, period: { from: string; to: string }, where: { buyerKind?: 'consumer' | 'business' } = {}) {
  const rows = await tx.invoice.findMany({
    where: { tenantId, status: { not: 'draft' }, issueDate: { gte: dayDate(period.from), lte: dayDate(period.to) }, ...where },
    select: {
      id: true,
      kind: true,
      number: true,
      issueDate: true,
      buyerKind: true,
      netCents: true,
      vatCents: true,
      grossCents: true,
      snapshot: true,
      client: { select: { id: true, displayName: true } },
      creditedInvoice: { select: { number: true } },
      lines: { select: { supplyKind: true, vatCategory: true, vatRateBasisPoints: true, netCents: true } },
    },
    orderBy: [{ issueDate: 'asc' }, { number: 'asc' }],
  });
  return rows.map((r) => ({
    ...r,
    number: r.number!,
    issueDay: isoDay(r.issueDate!),
    groups: salesGroups(r.lines, (r.snapshot as unknown as InvoiceDocument).vatBreakdown),
  }));
}
export type IssuedDocument = Awaited<ReturnType<typeof loadIssuedInPeriod>>[number];

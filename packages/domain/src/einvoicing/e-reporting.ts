import type { TenantDeps } from '../shared/context.ts';
import type { TExportPeriodInput } from './einvoicing.schema.ts';
import { allocate, isoDay, loadIssuedInPeriod, salesGroups, type IssuedDocument } from './sales-breakdown.ts';
import type { InvoiceDocument } from '../invoices/invoice-document.ts';

/**
 * E-reporting data (French e-invoicing reform, french-rules.md §2): sales to consumers (B2C),
 * which are not e-invoiced, are declared as daily aggregates per VAT rate and category (goods or
 * services); payment data is declared for services when the seller has not opted for VAT on
 * debits (VAT then falls due on collection). One JSON document, reproducible: same invoices and
 * payments, same bytes (keys in a fixed order, rows sorted, no "now" anywhere). Credit notes
 * count negative on their own issue date. Payments: money received on a B2C invoice's schedule
 * item counts on its value date, a return or refund after settlement negative; each is shared
 * over the invoice's (kind, rate) amounts incl. VAT by the largest remainder, and the services'
 * shares are reported with the VAT they contain.
 */
export const E_REPORTING_FORMAT = 'crm-e-reporting/1';

/** How often the data is sent, by VAT regime (réel normal: by ten days; simplifié: monthly; franchise: every two months). */
const PERIODICITY = { reel_normal: 'decade', reel_simplifie: 'monthly', franchise: 'bimonthly' } as const;

export interface SalesAggregate {
  date: string;
  category: 'goods' | 'services';
  vatCategory: 'S' | 'E' | 'Z';
  vatRateBasisPoints: number;
  invoices: number;
  creditNotes: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export interface PaymentAggregate {
  date: string;
  vatRateBasisPoints: number;
  collectedCents: number;
  vatCents: number;
}

/** Daily aggregates of B2C documents, sorted by date, category, rate descending, VAT category. */
export function salesAggregates(docs: readonly Pick<IssuedDocument, 'kind' | 'issueDay' | 'groups'>[]): SalesAggregate[] {
  const rows = new Map<string, SalesAggregate>();
  for (const doc of docs) {
    const sign = doc.kind === 'credit_note' ? -1 : 1;
    const counted = new Set<string>();
    for (const g of doc.groups) {
      const key = `${doc.issueDay}|${g.supplyKind}|${g.vatCategory}|${g.vatRateBasisPoints}`;
      const row = rows.get(key) ?? {
        date: doc.issueDay,
        category: g.supplyKind,
        vatCategory: g.vatCategory,
        vatRateBasisPoints: g.vatRateBasisPoints,
        invoices: 0,
        creditNotes: 0,
        netCents: 0,
        vatCents: 0,
        grossCents: 0,
      };
      if (!counted.has(key)) {
        if (sign > 0) row.invoices++;
        else row.creditNotes++;
        counted.add(key);
      }
      row.netCents += sign * g.netCents;
      row.vatCents += sign * g.vatCents;
      row.grossCents += sign * (g.netCents + g.vatCents);
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || a.category.localeCompare(b.category) || b.vatRateBasisPoints - a.vatRateBasisPoints || a.vatCategory.localeCompare(b.vatCategory),
  );
}

/** A signed collected amount shared over an invoice's services per rate (pure). */
export function servicesShares(amountCents: number, groups: readonly { supplyKind: string; vatRateBasisPoints: number; netCents: number; vatCents: number }[]) {
  const shares = allocate(amountCents, groups.map((g) => g.netCents + g.vatCents));
  return groups.flatMap((g, i) => {
    if (g.supplyKind !== 'services' || shares[i] === 0) return [];
    const collected = shares[i]!;
    const vat = Math.sign(collected) * Math.round((Math.abs(collected) * g.vatRateBasisPoints) / (10_000 + g.vatRateBasisPoints));
    return [{ vatRateBasisPoints: g.vatRateBasisPoints, collectedCents: collected, vatCents: vat }];
  });
}

/** `invoicing.eReporting`: the period's B2C sales and payment data as a reproducible JSON file. */
export async function exportEReporting(deps: TenantDeps, input: TExportPeriodInput) {
  const { tx, actor } = deps;
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { siren: true, vatRegime: true, vatOnDebits: true } });
  const docs = await loadIssuedInPeriod(tx, actor.tenantId, input, { buyerKind: 'consumer' });
  const sales = salesAggregates(docs);

  const payments: PaymentAggregate[] = [];
  if (!organisation.vatOnDebits) {
    const rows = await tx.payment.findMany({
      where: {
        tenantId: actor.tenantId,
        valueDate: { gte: new Date(`${input.from}T00:00:00Z`), lte: new Date(`${input.to}T00:00:00Z`) },
        scheduleItem: { is: { invoiceLinks: { some: { invoice: { is: { buyerKind: 'consumer', kind: 'invoice', status: { not: 'draft' } } } } } } },
      },
      select: {
        id: true,
        outcome: true,
        rTransaction: true,
        amountCents: true,
        valueDate: true,
        scheduleItem: {
          select: { invoiceLinks: { select: { invoice: { select: { status: true, snapshot: true, lines: { select: { supplyKind: true, vatCategory: true, vatRateBasisPoints: true, netCents: true } } } } } } },
        },
      },
      orderBy: [{ valueDate: 'asc' }, { id: 'asc' }],
    });
    const byKey = new Map<string, PaymentAggregate>();
    for (const p of rows) {
      const sign = p.outcome === 'received' ? 1 : p.rTransaction === 'return' || p.rTransaction === 'refund' ? -1 : 0;
      const invoice = p.scheduleItem?.invoiceLinks[0]?.invoice;
      if (sign === 0 || !invoice || invoice.status === 'draft') continue;
      const groups = salesGroups(invoice.lines, (invoice.snapshot as unknown as InvoiceDocument).vatBreakdown);
      for (const share of servicesShares(sign * p.amountCents, groups)) {
        const date = isoDay(p.valueDate);
        const key = `${date}|${share.vatRateBasisPoints}`;
        const row = byKey.get(key) ?? { date, vatRateBasisPoints: share.vatRateBasisPoints, collectedCents: 0, vatCents: 0 };
        row.collectedCents += share.collectedCents;
        row.vatCents += share.vatCents;
        byKey.set(key, row);
      }
    }
    payments.push(...[...byKey.values()].sort((a, b) => a.date.localeCompare(b.date) || b.vatRateBasisPoints - a.vatRateBasisPoints));
  }

  const sum = (rows: readonly SalesAggregate[], field: 'netCents' | 'vatCents' | 'grossCents') => rows.reduce((s, r) => s + r[field], 0);
  const document = {
    format: E_REPORTING_FORMAT,
    seller: { siren: organisation.siren, vatRegime: organisation.vatRegime, vatOnDebits: organisation.vatOnDebits },
    period: { from: input.from, to: input.to },
    periodicity: PERIODICITY[organisation.vatRegime as keyof typeof PERIODICITY] ?? 'monthly',
    currency: 'EUR',
    sales: {
      documents: docs.length,
      totals: { netCents: sum(sales, 'netCents'), vatCents: sum(sales, 'vatCents'), grossCents: sum(sales, 'grossCents') },
      daily: sales,
    },
    payments: organisation.vatOnDebits
      ? { reported: false, reason: 'Option pour la TVA d’après les débits : pas de données de paiement', daily: [] }
      : { reported: true, reason: null, daily: payments },
  };
  return { fileName: `e-reporting_${input.from}_${input.to}.json`, mimeType: 'application/json', content: `${JSON.stringify(document, null, 2)}\n` };
}

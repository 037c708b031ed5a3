import type { Tx } from '@crm/db';
import { periodAmountCents } from '../payments/schedule-rules.ts';
import { badRequest, type FieldErrors } from '../shared/errors.ts';
import { invoiceTotals, vatCategoryOf } from './invoice-rules.ts';
import { FRANCHISE_MENTION } from './invoice-snapshot.ts';
import type { TInvoiceLineInput } from './invoices.schema.ts';

/** A line as written to invoice_lines (without ids). */
export interface DraftLine {
  position: number;
  label: string;
  quantity: number;
  unitPriceCents: number;
  netCents: number;
  vatCategory: 'S' | 'E' | 'Z';
  vatRateBasisPoints: number;
  vatExemptionReason: string | null;
  supplyKind: string;
  productId: string | null;
  scheduleItemId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
}

/** Under the VAT franchise (CGI 293 B) no line carries VAT, and each says why. */
function withRegime(line: DraftLine, vatRegime: string): DraftLine {
  if (vatRegime !== 'franchise') return line;
  return { ...line, vatCategory: 'E', vatRateBasisPoints: 0, vatExemptionReason: FRANCHISE_MENTION };
}

type ProductFacts = { id: string; name: string; supplyKind: string; vatExemptionReason: string | null; rate: number; priceCents: number | null };

async function productsById(tx: Tx, tenantId: string, ids: string[], today: string): Promise<Map<string, ProductFacts>> {
  if (ids.length === 0) return new Map();
  const products = await tx.product.findMany({
    where: { tenantId, id: { in: ids } },
    select: {
      id: true,
      name: true,
      supplyKind: true,
      vatExemptionReason: true,
      vatRateCode: true,
      prices: { where: { effectiveFrom: { lte: new Date(`${today}T00:00:00Z`) } }, orderBy: { effectiveFrom: 'desc' }, take: 1, select: { priceCents: true } },
    },
  });
  const rates = new Map((await tx.vatRate.findMany()).map((r) => [r.code, r.rateBasisPoints]));
  return new Map(
    products.map((p) => [
      p.id,
      { id: p.id, name: p.name, supplyKind: p.supplyKind, vatExemptionReason: p.vatExemptionReason, rate: rates.get(p.vatRateCode) ?? 0, priceCents: p.prices[0]?.priceCents ?? null },
    ]),
  );
}

/** A manual draft's lines: a product's name, price and VAT by default; free lines say their own. */
export async function manualLines(tx: Tx, tenantId: string, vatRegime: string, inputs: readonly TInvoiceLineInput[], today: string): Promise<DraftLine[]> {
  const products = await productsById(tx, tenantId, [...new Set(inputs.flatMap((l) => (l.productId ? [l.productId] : [])))], today);
  const errors: FieldErrors = {};
  const lines = inputs.map((input, i): DraftLine | null => {
    const product = input.productId ? products.get(input.productId) : undefined;
    if (input.productId && !product) errors[`lines.${i}.productId`] = ['Produit introuvable'];
    const label = input.label ?? product?.name;
    const unitPriceCents = input.unitPriceCents ?? product?.priceCents ?? undefined;
    const exemption = product?.vatExemptionReason ?? null;
    const rate = exemption ? 0 : (input.vatRateBasisPoints ?? product?.rate);
    if (!label) errors[`lines.${i}.label`] = ['Libellé requis'];
    if (unitPriceCents === undefined) errors[`lines.${i}.unitPriceCents`] = ['Prix requis'];
    if (rate === undefined) errors[`lines.${i}.vatRateBasisPoints`] = ['Taux de TVA requis'];
    if (!label || unitPriceCents === undefined || rate === undefined) return null;
    return withRegime(
      {
        position: i + 1,
        label,
        quantity: input.quantity,
        unitPriceCents,
        netCents: input.quantity * unitPriceCents,
        vatCategory: vatCategoryOf(rate, exemption),
        vatRateBasisPoints: rate,
        vatExemptionReason: exemption,
        supplyKind: input.supplyKind ?? product?.supplyKind ?? 'services',
        productId: product?.id ?? null,
        scheduleItemId: null,
        periodStart: null,
        periodEnd: null,
      },
      vatRegime,
    );
  });
  if (Object.keys(errors).length > 0) throw badRequest('Lignes invalides', errors);
  return lines as DraftLine[];
}

/**
 * The lines of one schedule item: its contract's lines for the item's period. A prorated item
 * (a first or last period cut short) is billed as one line per contract line at the prorated
 * price, the fraction read from the item's amount against a whole period's.
 */
export async function scheduleItemLines(
  tx: Tx,
  tenantId: string,
  vatRegime: string,
  item: { id: string; periodStart: Date; periodEnd: Date; amountCents: number },
  contractLines: readonly { label: string; quantity: number; unitPriceCents: number; vatRateBasisPoints: number; productId: string | null }[],
  firstPosition: number,
  today: string,
): Promise<DraftLine[]> {
  const products = await productsById(tx, tenantId, [...new Set(contractLines.flatMap((l) => (l.productId ? [l.productId] : [])))], today);
  const whole = periodAmountCents(contractLines);
  const prorated = whole > 0 && item.amountCents !== whole;
  return contractLines.map((line, i) => {
    const product = line.productId ? products.get(line.productId) : undefined;
    const exemption = product?.vatExemptionReason ?? null;
    const rate = exemption ? 0 : line.vatRateBasisPoints;
    const net = line.quantity * line.unitPriceCents;
    const proratedNet = prorated ? Math.round((net * item.amountCents) / whole) : net;
    return withRegime(
      {
        position: firstPosition + i,
        label: prorated ? `${line.label} (prorata)` : line.label,
        quantity: prorated ? 1 : line.quantity,
        unitPriceCents: prorated ? proratedNet : line.unitPriceCents,
        netCents: proratedNet,
        vatCategory: vatCategoryOf(rate, exemption),
        vatRateBasisPoints: rate,
        vatExemptionReason: exemption,
        supplyKind: product?.supplyKind ?? 'services',
        productId: line.productId,
        scheduleItemId: item.id,
        periodStart: item.periodStart,
        periodEnd: item.periodEnd,
      },
      vatRegime,
    );
  });
}

/** Writes a draft's lines and its totals (computed here, never taken from the input). */
export async function writeDraftLines(tx: Tx, tenantId: string, invoiceId: string, lines: readonly DraftLine[]): Promise<void> {
  await tx.invoiceLine.deleteMany({ where: { tenantId, invoiceId } });
  await tx.invoiceLine.createMany({ data: lines.map((line) => ({ ...line, tenantId, invoiceId })) });
  const totals = invoiceTotals(lines);
  await tx.invoice.update({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    data: { netCents: totals.netCents, vatCents: totals.vatCents, grossCents: totals.grossCents },
  });
}

import type { Tx } from '@crm/db';
import { reserveCounter } from '../shared/counters.ts';
import { isValidNormalizedSepaIban, isValidSepaBic, normalizeSepaBic, normalizeSepaIban } from '../sepa/sepa-identifiers.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, DomainError } from '../shared/errors.ts';
import { priceForPeriod, type BillingFrequency } from '../products/price-per-period.ts';
import type { TContractLineInput } from './contracts.schema.ts';
import { isoDay } from './contract-view.ts';

/**
 * A debtor IBAN as stored (electronic format), or a field error 'IBAN invalide': a SEPA
 * country's IBAN with the right length and mod-97 check digits (the SEPA layer's validator,
 * the same one the direct debit files use).
 */
export function normaliseDebtorIban(value: string | null | undefined, field = 'debtorIban'): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const iban = normalizeSepaIban(value);
  if (!isValidNormalizedSepaIban(iban)) throw badRequest('IBAN invalide', { [field]: ['IBAN invalide'] });
  return iban;
}

export function normaliseDebtorBic(value: string | null | undefined, field = 'debtorBic'): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const bic = normalizeSepaBic(value);
  if (!isValidSepaBic(bic)) throw badRequest('BIC invalide', { [field]: ['BIC invalide (8 ou 11 caractères)'] });
  return bic;
}

export interface ResolvedLine {
  productId: string;
  label: string;
  quantity: number;
  unitPriceCents: number;
  vatRateBasisPoints: number;
  position: number;
}

/**
 * The lines of a draft with their defaults: the product's name, its price in effect on the start
 * date, the VAT rate of its VAT code. Another tenant's product (or none) answers NOT_FOUND.
 */
export async function resolveLines(
  { tx, actor }: TenantDeps,
  lines: readonly TContractLineInput[],
  startDate: string,
  /** The contract's frequency; absent on a new contract that takes its first product's. */
  contractFrequency?: BillingFrequency | null,
): Promise<{ lines: ResolvedLine[]; firstFrequency: BillingFrequency | null }> {
  const ids = [...new Set(lines.map((line) => line.productId))];
  const products = await tx.product.findMany({ where: { tenantId: actor.tenantId, id: { in: ids } }, include: { prices: true } });
  const vatRates = await vatRatesOf(tx, products.map((p) => p.vatRateCode));
  const first = products.find((p) => p.id === lines[0]?.productId);
  const frequency = contractFrequency ?? first?.billingFrequency ?? null;
  const resolved = lines.map((line, index) => {
    const product = products.find((p) => p.id === line.productId);
    if (!product) throw new DomainError('NOT_FOUND', 'Produit introuvable', { fieldErrors: { [`lines.${index}.productId`]: ['Produit introuvable'] } });
    if (!product.active) throw badRequest('Produit inactif', { [`lines.${index}.productId`]: ['Produit inactif'] });
    let unitPriceCents = line.unitPriceCents;
    if (unitPriceCents === undefined) {
      const inEffect = product.prices
        .filter((price) => isoDay(price.effectiveFrom) <= startDate)
        .sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime())[0];
      if (!inEffect) {
        const message = `Aucun prix de « ${product.name} » en vigueur au ${startDate}`;
        throw badRequest(message, { [`lines.${index}.unitPriceCents`]: [message] });
      }
      // The catalogue's price is for the product's period; the line's, for the contract's.
      const converted = frequency ? priceForPeriod(inEffect.priceCents, product.billingFrequency, frequency) : inEffect.priceCents;
      if (converted === null) {
        const message = product.billingFrequency === 'one_off'
          ? `« ${product.name} » est facturé une fois : il ne peut pas être une ligne d'un contrat périodique`
          : `« ${product.name} » est facturé par période : il ne peut pas être une ligne d'un contrat ponctuel`;
        throw badRequest(message, { [`lines.${index}.productId`]: [message] });
      }
      unitPriceCents = converted;
    }
    const vatRateBasisPoints = vatRates.get(product.vatRateCode);
    if (vatRateBasisPoints === undefined) throw badRequest('Taux de TVA inconnu', { [`lines.${index}.productId`]: ['Taux de TVA du produit inconnu'] });
    return { productId: product.id, label: line.label ?? product.name, quantity: line.quantity, unitPriceCents, vatRateBasisPoints, position: index };
  });
  return { lines: resolved, firstFrequency: first?.billingFrequency ?? null };
}

async function vatRatesOf(tx: Tx, codes: string[]): Promise<Map<string, number>> {
  const rates = await tx.vatRate.findMany({ where: { code: { in: [...new Set(codes)] } } });
  return new Map(rates.map((rate) => [rate.code, rate.rateBasisPoints]));
}

/** CT-2026-000123: the organisation's prefix, the year of creation in Paris, a per-tenant sequence for that year. */
export async function nextContractNumber(tx: Tx, tenantId: string, prefix: string, year: string): Promise<string> {
  const value = await reserveCounter(tx, tenantId, `contract-${year}`);
  return `${prefix}-${year}-${String(value).padStart(6, '0')}`;
}

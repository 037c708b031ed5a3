import { z } from 'zod';
import { multilineText, safeText, text, ZDay } from '../shared/input-rules.ts';
import { ZCents } from '../shared/money.ts';

export const BILLING_FREQUENCIES = ['one_off', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;

/** Goods or services: an invoice's category of operation (BT-23) follows its lines' products. */
const ZSupplyKind = z.enum(['goods', 'services'], 'Nature inconnue : biens ou services');
/** The legal mention of a VAT exemption, printed on the invoice (e.g. "Exonération de TVA, article 261 C du CGI"). */
const ZVatExemptionReason = text(200).min(1, 'Mention requise');

const ZDate = ZDay();

export const ZCreateProductInput = z.strictObject({
  code: safeText().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{0,29}$/, 'Code invalide (lettres, chiffres, - et _ ; 30 au plus)'),
  name: text(120).min(1, 'Nom requis'),
  description: multilineText(2000).default(''),
  category: text(60).nullish(),
  priceCents: ZCents,
  vatRateCode: text(20).min(1, 'Taux de TVA requis'),
  billingFrequency: z.enum(BILLING_FREQUENCIES, 'Fréquence inconnue'),
  supplyKind: ZSupplyKind.optional(),
  vatExemptionReason: ZVatExemptionReason.nullish(),
  /** When the first price applies; today by default. */
  effectiveFrom: ZDate.optional(),
});
export type TCreateProductInput = z.infer<typeof ZCreateProductInput>;

export const ZUpdateProductInput = z.strictObject({
  productId: z.uuid('Produit invalide'),
  name: text(120).min(1, 'Nom requis').optional(),
  description: multilineText(2000).optional(),
  category: text(60).nullish(),
  vatRateCode: text(20).min(1, 'Taux de TVA requis').optional(),
  billingFrequency: z.enum(BILLING_FREQUENCIES, 'Fréquence inconnue').optional(),
  supplyKind: ZSupplyKind.optional(),
  vatExemptionReason: ZVatExemptionReason.nullish(),
  active: z.boolean().optional(),
});
export type TUpdateProductInput = z.infer<typeof ZUpdateProductInput>;

export const ZChangeProductPriceInput = z.strictObject({
  productId: z.uuid('Produit invalide'),
  priceCents: ZCents,
  effectiveFrom: ZDate,
});
export type TChangeProductPriceInput = z.infer<typeof ZChangeProductPriceInput>;

export const ZProductIdInput = z.strictObject({ productId: z.uuid('Produit invalide') });
export type TProductIdInput = z.infer<typeof ZProductIdInput>;

export const ZListProductsInput = z.strictObject({
  search: text(100).optional(),
  category: text(60).optional(),
  active: z.boolean().optional(),
  /** The day whose prices to show; today by default. */
  on: ZDate.optional(),
});
export type TListProductsInput = z.infer<typeof ZListProductsInput>;

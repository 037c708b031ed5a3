import { z } from 'zod';
import { ZCents } from '../shared/money.ts';

export const BILLING_FREQUENCIES = ['one_off', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;

const ZDate = z.iso.date('Date invalide (AAAA-MM-JJ)');

export const ZCreateProductInput = z.strictObject({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{0,29}$/, 'Code invalide (lettres, chiffres, - et _ ; 30 au plus)'),
  name: z.string().trim().min(1, 'Nom requis').max(120, '120 caractères au plus'),
  description: z.string().trim().max(2000).default(''),
  category: z.string().trim().max(60).nullish(),
  priceCents: ZCents,
  vatRateCode: z.string().trim().min(1, 'Taux de TVA requis'),
  billingFrequency: z.enum(BILLING_FREQUENCIES, 'Fréquence inconnue'),
  /** When the first price applies; today by default. */
  effectiveFrom: ZDate.optional(),
});
export type TCreateProductInput = z.infer<typeof ZCreateProductInput>;

export const ZUpdateProductInput = z.strictObject({
  productId: z.uuid('Produit invalide'),
  name: z.string().trim().min(1, 'Nom requis').max(120).optional(),
  description: z.string().trim().max(2000).optional(),
  category: z.string().trim().max(60).nullish(),
  vatRateCode: z.string().trim().min(1).optional(),
  billingFrequency: z.enum(BILLING_FREQUENCIES, 'Fréquence inconnue').optional(),
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
  search: z.string().trim().max(100).optional(),
  category: z.string().trim().max(60).optional(),
  active: z.boolean().optional(),
  /** The day whose prices to show; today by default. */
  on: ZDate.optional(),
});
export type TListProductsInput = z.infer<typeof ZListProductsInput>;

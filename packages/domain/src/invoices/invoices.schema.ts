import { z } from 'zod';
import { ZCents } from '../shared/money.ts';
import { multilineText, safeText, text, ZCursor, ZDay } from '../shared/input-rules.ts';

export const INVOICE_STATUSES = ['draft', 'issued', 'partly_paid', 'paid', 'overdue', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const INVOICE_SERIES = ['b2c', 'b2b', 'credit_note'] as const;
export type InvoiceSeriesName = (typeof INVOICE_SERIES)[number];
export const INVOICE_GROUPINGS = ['per_item', 'per_client_month'] as const;
export const VAT_REGIMES = ['reel_normal', 'reel_simplifie', 'franchise'] as const;
export const SUPPLY_KINDS = ['goods', 'services'] as const;

const ZInvoiceId = z.uuid('Facture invalide');
const ZRate = z.number('Taux en points de base').int('Taux en points de base entiers').min(0, 'Taux positif').max(10_000, 'Taux : 100 % au plus');

/** One line of a manual draft: a product's, or free text with its own price and VAT. */
export const ZInvoiceLineInput = z.strictObject({
  productId: z.uuid('Produit invalide').optional(),
  /** The product's name by default. */
  label: text(200).min(1, 'Libellé requis').optional(),
  quantity: z.number('Quantité requise').int('Quantité entière').min(1, 'Quantité : 1 au moins').max(100_000, 'Quantité trop grande'),
  /** Excluding VAT; the product's current price by default. */
  unitPriceCents: ZCents.max(100_000_000_00, 'Prix trop grand').optional(),
  /** Basis points (2000 = 20 %); the product's rate by default, required without a product. */
  vatRateBasisPoints: ZRate.optional(),
  supplyKind: z.enum(SUPPLY_KINDS, 'Nature inconnue : biens ou services').optional(),
});
export type TInvoiceLineInput = z.infer<typeof ZInvoiceLineInput>;

const draftFields = {
  lines: z.array(ZInvoiceLineInput).min(1, 'Au moins une ligne').max(100, '100 lignes au plus'),
  /** Due date; 30 days after issuance by default (C. com. L441-10). */
  dueDate: ZDay().nullish(),
  /** BT-72, when the goods were delivered or the service done (no period). */
  deliveryDate: ZDay().nullish(),
  periodStart: ZDay().nullish(),
  periodEnd: ZDay().nullish(),
  purchaseOrder: text(100).nullish(),
  paymentMethod: z.enum(['sepa_debit', 'transfer', 'card', 'cheque'], 'Mode de paiement inconnu').optional(),
};

const periodInOrder = (input: { periodStart?: string | null | undefined; periodEnd?: string | null | undefined }) =>
  !input.periodStart || !input.periodEnd || input.periodStart <= input.periodEnd;
const periodMessage = { message: 'La fin de période précède son début', path: ['periodEnd'] };

export const ZCreateInvoiceDraftInput = z
  .strictObject({ clientId: z.uuid('Client invalide'), contractId: z.uuid('Contrat invalide').optional(), ...draftFields })
  .refine(periodInOrder, periodMessage);
export type TCreateInvoiceDraftInput = z.infer<typeof ZCreateInvoiceDraftInput>;

export const ZUpdateInvoiceDraftInput = z
  .strictObject({
    invoiceId: ZInvoiceId,
    lines: draftFields.lines.optional(),
    dueDate: draftFields.dueDate,
    deliveryDate: draftFields.deliveryDate,
    periodStart: draftFields.periodStart,
    periodEnd: draftFields.periodEnd,
    purchaseOrder: draftFields.purchaseOrder,
    paymentMethod: draftFields.paymentMethod,
  })
  .refine(periodInOrder, periodMessage);
export type TUpdateInvoiceDraftInput = z.infer<typeof ZUpdateInvoiceDraftInput>;

export const ZInvoiceIdInput = z.strictObject({ invoiceId: ZInvoiceId });
export type TInvoiceIdInput = z.infer<typeof ZInvoiceIdInput>;

export const ZListInvoicesInput = z.strictObject({
  status: z.enum(INVOICE_STATUSES, 'Statut inconnu').optional(),
  clientId: z.uuid('Client invalide').optional(),
  series: z.enum(INVOICE_SERIES, 'Série inconnue').optional(),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by the web's infinite queries; pages only go forward. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListInvoicesInput = z.infer<typeof ZListInvoicesInput>;

/** Drafts for the schedule items due up to `until` (the notice days ahead of today by default). */
export const ZDraftInvoicesFromScheduleInput = z.strictObject({ until: ZDay().optional() });
export type TDraftInvoicesFromScheduleInput = z.infer<typeof ZDraftInvoicesFromScheduleInput>;

/**
 * A credit note: the whole remaining amount, or an amount excluding VAT per VAT rate of the
 * invoice (CGI 289-I-5: it references the invoice and shows excl.-VAT and VAT per rate).
 */
export const ZCreateCreditNoteInput = z.strictObject({
  invoiceId: ZInvoiceId,
  reason: multilineText(500).min(1, 'Motif requis'),
  /** Per rate; absent: everything that remains creditable. */
  amounts: z
    .array(z.strictObject({ vatRateBasisPoints: ZRate, netCents: ZCents.min(1, 'Montant positif').max(100_000_000_00, 'Montant trop grand') }))
    .min(1, 'Au moins un taux')
    .max(10, '10 taux au plus')
    .optional(),
});
export type TCreateCreditNoteInput = z.infer<typeof ZCreateCreditNoteInput>;

const ZPrefix = safeText()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{1,10}$/, 'Préfixe invalide (1 à 10 lettres, chiffres ou tirets)');
const ZSeriesSetting = z.strictObject({ prefix: ZPrefix.optional(), yearlyReset: z.boolean('Oui ou non').optional() });

/** The invoice settings: series, what the mentions need, grouping, notice days; `null` clears. */
export const ZUpdateInvoiceSettingsInput = z.strictObject({
  series: z.strictObject({ b2c: ZSeriesSetting.optional(), b2b: ZSeriesSetting.optional(), credit_note: ZSeriesSetting.optional() }).optional(),
  shareCapitalCents: ZCents.max(1_000_000_000_000_00, 'Capital trop grand').nullable().optional(),
  rcsCity: text(80).min(1, 'Ville du greffe requise').nullable().optional(),
  vatRegime: z.enum(VAT_REGIMES, 'Régime de TVA inconnu').optional(),
  vatOnDebits: z.boolean('Oui ou non').optional(),
  latePenaltyRateText: text(300).min(1, 'Taux requis').nullable().optional(),
  latePenaltyRateBasisPoints: ZRate.nullable().optional(),
  discountTerms: text(300).min(1, 'Conditions requises').nullable().optional(),
  invoiceGrouping: z.enum(INVOICE_GROUPINGS, 'Regroupement inconnu').optional(),
  invoiceNoticeDays: z.number('Un nombre de jours').int('Un nombre entier').min(1, '1 jour au moins').max(60, '60 jours au plus').optional(),
  invoiceAutoIssue: z.boolean('Oui ou non').optional(),
});
export type TUpdateInvoiceSettingsInput = z.infer<typeof ZUpdateInvoiceSettingsInput>;

import { z } from 'zod';
import { BILLING_FREQUENCIES } from '../products/products.schema.ts';
import { SEPA_LOCAL_INSTRUMENTS } from '../sepa/sepa-direct-debit-types.ts';
import { ZCents } from '../shared/money.ts';
import { multilineText, safeText, text, ZCursor, ZDay } from '../shared/input-rules.ts';

export const CONTRACT_STATUSES = ['draft', 'sent', 'signed', 'active', 'suspended', 'terminated', 'cancelled'] as const;
export type ContractStatusName = (typeof CONTRACT_STATUSES)[number];
export const PAYMENT_METHODS = ['sepa_debit', 'transfer', 'card', 'cheque'] as const;

const ZDate = ZDay();
const ZContractId = z.uuid('Contrat invalide');

export const ZContractLineInput = z.strictObject({
  productId: z.uuid('Produit invalide'),
  quantity: z.number().int('Quantité entière').min(1, 'Quantité : 1 au moins').max(100_000, 'Quantité trop grande'),
  /** Excluding VAT, per period; the product's price in effect at the start date by default. */
  unitPriceCents: ZCents.optional(),
  /** The product's name by default. */
  label: text(200).min(1, 'Libellé requis').optional(),
});
export type TContractLineInput = z.infer<typeof ZContractLineInput>;

/** What a draft may hold: every field but the client. */
const draftFields = {
  salesRepId: z.uuid('Commercial invalide').nullish(),
  lines: z.array(ZContractLineInput).min(1, 'Au moins une ligne').max(50, '50 lignes au plus'),
  /** The first product's frequency by default. */
  billingFrequency: z.enum(BILLING_FREQUENCIES, 'Fréquence inconnue').optional(),
  startDate: ZDate,
  durationMonths: z.number().int('Durée en mois entiers').min(1, 'Durée : 1 mois au moins').max(120, 'Durée : 120 mois au plus'),
  tacitRenewal: z.boolean().default(true),
  paymentMethod: z.enum(PAYMENT_METHODS, 'Mode de paiement inconnu'),
  /** True for a person, false for a company by default. */
  consumer: z.boolean().optional(),
  preNotificationDays: z.number().int().min(1, '1 jour au moins').max(30, '30 jours au plus').nullish(),
  debitDay: z.number().int().min(1, 'Jour entre 1 et 28').max(28, 'Jour entre 1 et 28').nullish(),
  /** A reject fee the contract states, in cents (charged on a rejected debit only if the organisation enables it). */
  rejectFeeCents: z.number('Montant en centimes').int('Montant en centimes').min(1, '1 centime au moins').max(100_000, '1 000 € au plus').nullish(),
  debtorName: text(70).nullish(),
  /** Checked by the use case (field error 'IBAN invalide'), so that a draft may be saved without one. */
  debtorIban: safeText('IBAN invalide').trim().max(50, 'IBAN invalide').nullish(),
  debtorBic: safeText('BIC invalide').trim().max(20, 'BIC invalide').nullish(),
  /** The mandate's scheme; CORE by default, B2B only for a company that is not a consumer. */
  sepaScheme: z.enum(SEPA_LOCAL_INSTRUMENTS, 'Schéma inconnu').optional(),
  notes: multilineText(4000).optional(),
};

export const ZCreateContractInput = z.strictObject({ clientId: z.uuid('Client invalide'), ...draftFields });
export type TCreateContractInput = z.infer<typeof ZCreateContractInput>;

export const ZUpdateContractInput = z.strictObject({
  contractId: ZContractId,
  salesRepId: draftFields.salesRepId,
  lines: draftFields.lines.optional(),
  billingFrequency: draftFields.billingFrequency,
  startDate: ZDate.optional(),
  durationMonths: draftFields.durationMonths.optional(),
  tacitRenewal: z.boolean().optional(),
  paymentMethod: draftFields.paymentMethod.optional(),
  consumer: z.boolean().optional(),
  preNotificationDays: draftFields.preNotificationDays,
  debitDay: draftFields.debitDay,
  rejectFeeCents: draftFields.rejectFeeCents,
  debtorName: draftFields.debtorName,
  debtorIban: draftFields.debtorIban,
  debtorBic: draftFields.debtorBic,
  sepaScheme: draftFields.sepaScheme,
  notes: draftFields.notes,
});
export type TUpdateContractInput = z.infer<typeof ZUpdateContractInput>;

export const ZContractIdInput = z.strictObject({ contractId: ZContractId });
export type TContractIdInput = z.infer<typeof ZContractIdInput>;

export const ZListContractsInput = z.strictObject({
  status: z.enum(CONTRACT_STATUSES, 'Statut inconnu').optional(),
  clientId: z.uuid('Client invalide').optional(),
  salesRepId: z.uuid('Commercial invalide').optional(),
  /** A contract number or a client's name. */
  search: text(100).optional(),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListContractsInput = z.infer<typeof ZListContractsInput>;

export const ZSignContractInput = z.strictObject({
  contractId: ZContractId,
  /** The name the signer types; must contain the client's last name or company name. */
  signerName: text(120).min(2, 'Nom du signataire requis'),
  consent: z.literal(true, 'Le consentement est requis pour signer'),
  /** Where the client signs (printed on the SEPA mandate); the client's city when not given. */
  signedPlace: text(35).min(1, 'Lieu de signature requis').optional(),
  /** A company's signer: the capacity they sign in ("gérant"); required for a company. */
  signerCapacity: text(60).min(2, 'Qualité du signataire requise').optional(),
  /** In front of the rep, or by the client alone on the rep's tablet (the hand-over mode). */
  mode: z.enum(['in_app', 'hand_over'], 'Mode de signature inconnu').optional(),
});
export type TSignContractInput = z.infer<typeof ZSignContractInput>;

export const ZTerminateContractInput = z.strictObject({
  contractId: ZContractId,
  endDate: ZDate,
  reason: multilineText(500).optional(),
});
export type TTerminateContractInput = z.infer<typeof ZTerminateContractInput>;

export const ZCancelContractInput = z.strictObject({
  contractId: ZContractId,
  reason: multilineText(500).min(1, 'Motif requis'),
});
export type TCancelContractInput = z.infer<typeof ZCancelContractInput>;

export const ZWithdrawContractInput = z.strictObject({
  contractId: ZContractId,
  reason: multilineText(500).optional(),
});
export type TWithdrawContractInput = z.infer<typeof ZWithdrawContractInput>;

export const ZContractStateInput = z.strictObject({
  contractId: ZContractId,
  reason: multilineText(500).optional(),
});
export type TContractStateInput = z.infer<typeof ZContractStateInput>;

/** A mailed signing link: `<tenant id>.<secret>`, only the secret's sha256 is stored. */
const ZSigningToken = z.string().trim().min(20, 'Lien invalide').max(200, 'Lien invalide');

export const ZSigningTokenInput = z.strictObject({ token: ZSigningToken });
export type TSigningTokenInput = z.infer<typeof ZSigningTokenInput>;

export const ZSignByLinkInput = z.strictObject({
  token: ZSigningToken,
  signerName: ZSignContractInput.shape.signerName,
  consent: ZSignContractInput.shape.consent,
  signedPlace: ZSignContractInput.shape.signedPlace,
  signerCapacity: ZSignContractInput.shape.signerCapacity,
});
export type TSignByLinkInput = z.infer<typeof ZSignByLinkInput>;

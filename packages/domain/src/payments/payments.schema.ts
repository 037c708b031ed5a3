import { z } from 'zod';
import { safeText, text, ZCursor, ZDay, ZFileName } from '../shared/input-rules.ts';
import { ZMandateReference, ZSepaBic, ZSepaIban } from '../sepa/sepa.schema.ts';
import { SEPA_LOCAL_INSTRUMENTS } from '../sepa/sepa-direct-debit-types.ts';

const ZDate = ZDay();
const ZReasonCodeFilter = safeText('Code motif invalide').trim().toUpperCase().regex(/^[A-Z0-9]{4}$/, 'Code motif invalide');

export const SCHEDULE_ITEM_STATUSES = ['planned', 'batched', 'submitted', 'paid', 'rejected', 'cancelled'] as const;
export const MANDATE_STATUSES = ['active', 'revoked', 'expired'] as const;
export const MANUAL_PAYMENT_METHODS = ['transfer', 'card', 'cheque'] as const;

/** A keyset page: the cursor of the previous page's last row, as the clients list pages. */
const page = {
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
};

export const ZContractScheduleInput = z.strictObject({ contractId: z.uuid('Contrat invalide') });
export type TContractScheduleInput = z.infer<typeof ZContractScheduleInput>;

export const ZListPaymentsInput = z.strictObject({
  outcome: z.enum(['received', 'rejected'], 'Résultat inconnu').optional(),
  reasonCode: ZReasonCodeFilter.optional(),
  clientId: z.uuid('Client invalide').optional(),
  contractId: z.uuid('Contrat invalide').optional(),
  ...page,
});
export type TListPaymentsInput = z.infer<typeof ZListPaymentsInput>;

export const ZListScheduleItemsInput = z
  .strictObject({
    status: z.enum(SCHEDULE_ITEM_STATUSES, 'Statut inconnu').optional(),
    reasonCode: ZReasonCodeFilter.optional(),
    clientId: z.uuid('Client invalide').optional(),
    /** Collection dates from and to (inclusive): the date actually used, the batch's once batched. */
    from: ZDate.optional(),
    to: ZDate.optional(),
    ...page,
  })
  .refine((input) => !input.from || !input.to || input.from <= input.to, { message: 'La date de fin précède la date de début', path: ['to'] });
export type TListScheduleItemsInput = z.infer<typeof ZListScheduleItemsInput>;

export const ZRecordManualPaymentInput = z.strictObject({
  scheduleItemId: z.uuid('Échéance invalide'),
  method: z.enum(MANUAL_PAYMENT_METHODS, 'Moyen de paiement inconnu'),
  receivedOn: ZDate,
  reference: text(140).optional(),
});
export type TRecordManualPaymentInput = z.infer<typeof ZRecordManualPaymentInput>;

export const ZMandateIdInput = z.strictObject({ mandateId: z.uuid('Mandat invalide') });
export type TMandateIdInput = z.infer<typeof ZMandateIdInput>;

export const ZListMandatesInput = z.strictObject({
  status: z.enum(MANDATE_STATUSES, 'Statut inconnu').optional(),
  clientId: z.uuid('Client invalide').optional(),
  ...page,
});
export type TListMandatesInput = z.infer<typeof ZListMandatesInput>;

/**
 * A change of bank account, debtor name or RUM; the original RUM/IBAN travel with the next
 * collection. `scheme` other than the mandate's is refused with its reason (a new mandate is needed).
 */
export const ZAmendMandateInput = z.strictObject({
  mandateId: z.uuid('Mandat invalide'),
  iban: ZSepaIban.optional(),
  bic: ZSepaBic.nullish(),
  debtorName: text(70).min(1, 'Nom requis').optional(),
  rum: ZMandateReference.optional(),
  scheme: z.enum(SEPA_LOCAL_INSTRUMENTS, 'Schéma inconnu').optional(),
});
export type TAmendMandateInput = z.infer<typeof ZAmendMandateInput>;

/** CORE and B2B debits never share a file (EPC), so a batch is for one scheme. */
export const ZBatchDateInput = z.strictObject({ collectionDate: ZDate, scheme: z.enum(SEPA_LOCAL_INSTRUMENTS, 'Schéma inconnu').default('CORE') });
export type TBatchDateInput = z.infer<typeof ZBatchDateInput>;

export const ZBatchIdInput = z.strictObject({ batchId: z.uuid('Lot invalide') });

/** One debit of a batch (to take it out before the file goes to the bank). */
export const ZBatchItemInput = z.strictObject({ batchId: z.uuid('Lot invalide'), scheduleItemId: z.uuid('Prélèvement invalide') });
export type TBatchItemInput = z.infer<typeof ZBatchItemInput>;

export const ZListBatchesInput = z.strictObject({ ...page });
export type TListBatchesInput = z.infer<typeof ZListBatchesInput>;
export type TBatchIdInput = z.infer<typeof ZBatchIdInput>;

export const ZListReturnFilesInput = z.strictObject({ ...page });
export type TListReturnFilesInput = z.infer<typeof ZListReturnFilesInput>;

export const ZReturnFileIdInput = z.strictObject({ returnFileId: z.uuid('Fichier invalide') });
export type TReturnFileIdInput = z.infer<typeof ZReturnFileIdInput>;

/** tRPC face of a bank return import (the raw POST /bank-returns route takes the bytes instead). */
export const ZImportReturnsInput = z.strictObject({
  fileName: ZFileName,
  contentBase64: z
    .string()
    .min(1, 'Fichier vide')
    .max(14_000_000, 'Fichier trop volumineux : 10 Mo au plus')
    .regex(/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/, 'Contenu invalide : base64 attendu')
    .refine((value) => value.replace(/\s/g, '').length % 4 === 0, 'Contenu invalide : base64 attendu'),
});
export type TImportReturnsInput = z.infer<typeof ZImportReturnsInput>;

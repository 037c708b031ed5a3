import { z } from 'zod';
import { ZFileName } from '../shared/input-rules.ts';

export const DOCUMENT_KINDS = [
  'identity',
  'bank_details',
  'signed_contract',
  'contract_pdf',
  'mandate_pdf',
  'other',
  'invoice_pdf',
  'invoice_xml',
  'invoice_json',
  'commission_statement',
  'commission_self_billing',
  'letter_proof',
  'dunning_letter',
] as const;

/**
 * Kept whatever anyone asks: the signed contract (the proof of consent) and an issued invoice's
 * artefacts (C. com. L123-22: ten years, in their original form, with their sha256), and the dunning
 * letters as posted (the formal notice is the evidence of a claim).
 */
export const RETAINED_KINDS = ['signed_contract', 'invoice_pdf', 'invoice_xml', 'invoice_json', 'commission_statement', 'commission_self_billing', 'letter_proof', 'dunning_letter'] as const satisfies readonly DocumentKind[];
export const isRetainedKind = (kind: string): boolean => (RETAINED_KINDS as readonly string[]).includes(kind);
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * What a member may upload by hand. The rest only the application makes (`storeGeneratedDocument`):
 * contract and mandate PDFs, and the signed contract, the proof of consent stored by the signature
 * itself with its hash, which is never deleted (a scan of a paper contract is `other`).
 */
export const UPLOADABLE_KINDS = ['identity', 'bank_details', 'other'] as const satisfies readonly DocumentKind[];
export const isUploadableKind = (kind: string): kind is (typeof UPLOADABLE_KINDS)[number] => (UPLOADABLE_KINDS as readonly string[]).includes(kind);

const ZClientId = z.uuid('Client invalide');
const ZContractId = z.uuid('Contrat invalide');
const atLeastOne = { message: 'Client ou contrat requis', path: ['clientId'] };

/** The file's name as the user's browser sent it (the shared rule: control characters refused, separators replaced). */
export const ZDocumentFileName = ZFileName;

/** The metadata of an upload (the bytes come beside it, as the request body). */
export const ZUploadDocumentInput = z
  .strictObject({
    clientId: ZClientId.optional(),
    contractId: ZContractId.optional(),
    kind: z.enum(UPLOADABLE_KINDS, 'Nature de document inconnue'),
    fileName: ZDocumentFileName,
  })
  .refine((input) => input.clientId || input.contractId, atLeastOne);
export type TUploadDocumentInput = z.infer<typeof ZUploadDocumentInput>;

/** A client's documents (its own and its contracts'), or one contract's. Both: the contract's, if it is the client's. */
export const ZListDocumentsInput = z
  .strictObject({ clientId: ZClientId.optional(), contractId: ZContractId.optional() })
  .refine((input) => input.clientId || input.contractId, atLeastOne);
export type TListDocumentsInput = z.infer<typeof ZListDocumentsInput>;

export const ZDocumentIdInput = z.strictObject({ documentId: z.uuid('Document invalide') });
export type TDocumentIdInput = z.infer<typeof ZDocumentIdInput>;

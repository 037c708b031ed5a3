import { z } from 'zod';
import {
  isValidCreditorIdentifier,
  isValidMandateReference,
  isValidSepaBic,
  isValidSepaIban,
  normalizeCreditorIdentifier,
  normalizeSepaBic,
  normalizeSepaIban,
} from './sepa-identifiers.ts';

// The zod face of sepa-identifiers.ts: trimmed, normalised (spaces out, upper case), French
// messages. The mandate reference keeps its case: the bank compares it as given.

export const ZSepaIban = z.string().trim().transform(normalizeSepaIban).refine(isValidSepaIban, 'IBAN invalide');

export const ZSepaBic = z.string().trim().transform(normalizeSepaBic).refine(isValidSepaBic, 'BIC invalide');

export const ZCreditorIdentifier = z
  .string()
  .trim()
  .transform(normalizeCreditorIdentifier)
  .refine(isValidCreditorIdentifier, 'Identifiant créancier SEPA (ICS) invalide');

export const ZMandateReference = z
  .string()
  .trim()
  .refine(isValidMandateReference, "Référence unique de mandat (RUM) invalide : 35 caractères au plus, lettres sans accent, chiffres et / - ? : ( ) . , ' +");

import {
  isValidCreditorIdentifier,
  isValidMandateReference,
  isValidSepaBic,
  isValidSepaIban,
  normalizeCreditorIdentifier,
  normalizeSepaBic,
  normalizeSepaIban,
} from './sepa-identifiers.ts';
import { safeText } from '../shared/input-rules.ts';

// The zod face of sepa-identifiers.ts: trimmed, normalised (spaces out, upper case), French
// messages. The mandate reference keeps its case: the bank compares it as given.

export const ZSepaIban = safeText('IBAN invalide').trim().max(50, 'IBAN invalide').transform(normalizeSepaIban).refine(isValidSepaIban, 'IBAN invalide');

export const ZSepaBic = safeText('BIC invalide').trim().max(20, 'BIC invalide').transform(normalizeSepaBic).refine(isValidSepaBic, 'BIC invalide');

export const ZCreditorIdentifier = safeText('Identifiant créancier SEPA (ICS) invalide')
  .trim()
  .max(50, 'Identifiant créancier SEPA (ICS) invalide')
  .transform(normalizeCreditorIdentifier)
  .refine(isValidCreditorIdentifier, 'Identifiant créancier SEPA (ICS) invalide');

export const ZMandateReference = safeText()
  .trim()
  .max(35, 'Référence unique de mandat (RUM) invalide : 35 caractères au plus')
  .refine(isValidMandateReference, "Référence unique de mandat (RUM) invalide : 35 caractères au plus, lettres sans accent, chiffres et / - ? : ( ) . , ' +");

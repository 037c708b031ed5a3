import { z } from 'zod';
import {
  isValidBic,
  isValidEuVatFormat,
  isValidFrPostalCode,
  isValidFrVat,
  isValidSiren,
  isValidSiret,
  normalizeDigits,
  normalizeVat,
} from './identifiers.ts';

// The zod face of identifiers.ts: trimmed, normalised, with the messages the back office reads.
export const ZSiren = z
  .string()
  .trim()
  .transform(normalizeDigits)
  .refine((s) => /^\d{9}$/.test(s), 'Le SIREN compte 9 chiffres')
  .refine(isValidSiren, 'SIREN invalide (clé de contrôle)');

export const ZSiret = z
  .string()
  .trim()
  .transform(normalizeDigits)
  .refine((s) => /^\d{14}$/.test(s), 'Le SIRET compte 14 chiffres')
  .refine(isValidSiret, 'SIRET invalide (clé de contrôle)');

export const ZFrVat = z
  .string()
  .trim()
  .transform(normalizeVat)
  .refine(
    (v) => (v.startsWith('FR') ? isValidFrVat(v) : isValidEuVatFormat(v)),
    'Numéro de TVA intracommunautaire invalide',
  );

export const ZBic = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine(isValidBic, 'BIC invalide (8 ou 11 caractères)');

export const ZFrPostalCode = z.string().trim().refine(isValidFrPostalCode, 'Code postal invalide');

export const ZCountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Code pays invalide (ISO 3166, 2 lettres)');

/** A structured postal address, as SEPA requires from November 2026 (lengths from the EPC rules). */
export const ZPostalAddress = z
  .strictObject({
    line1: z.string().trim().min(1, 'Adresse requise').max(70, '70 caractères au plus'),
    line2: z.string().trim().max(70, '70 caractères au plus').nullish(),
    postalCode: z.string().trim().min(1, 'Code postal requis').max(16, 'Code postal trop long'),
    city: z.string().trim().min(1, 'Ville requise').max(35, '35 caractères au plus'),
    country: ZCountryCode.default('FR'),
  })
  .superRefine((address, ctx) => {
    if (address.country === 'FR' && !isValidFrPostalCode(address.postalCode)) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Code postal invalide' });
    }
  });
export type TPostalAddress = z.infer<typeof ZPostalAddress>;

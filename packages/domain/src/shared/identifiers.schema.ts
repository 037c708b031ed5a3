import { z } from 'zod';
import { parsePhone } from './phone-numbers.ts';
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
import { safeText, text } from './input-rules.ts';

// The zod face of identifiers.ts: trimmed, normalised, with the messages the back office reads.
export const ZSiren = safeText('SIREN invalide')
  .trim()
  .max(20, 'Le SIREN compte 9 chiffres')
  .transform(normalizeDigits)
  .refine((s) => /^\d{9}$/.test(s), 'Le SIREN compte 9 chiffres')
  .refine(isValidSiren, 'SIREN invalide (clé de contrôle)');

export const ZSiret = safeText('SIRET invalide')
  .trim()
  .max(30, 'Le SIRET compte 14 chiffres')
  .transform(normalizeDigits)
  .refine((s) => /^\d{14}$/.test(s), 'Le SIRET compte 14 chiffres')
  .refine(isValidSiret, 'SIRET invalide (clé de contrôle)');

export const ZFrVat = safeText('Numéro de TVA intracommunautaire invalide')
  .trim()
  .max(30, 'Numéro de TVA intracommunautaire invalide')
  .transform(normalizeVat)
  .refine(
    (v) => (v.startsWith('FR') ? isValidFrVat(v) : isValidEuVatFormat(v)),
    'Numéro de TVA intracommunautaire invalide',
  );

export const ZBic = safeText('BIC invalide')
  .trim()
  .max(20, 'BIC invalide (8 ou 11 caractères)')
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine(isValidBic, 'BIC invalide (8 ou 11 caractères)');

export const ZFrPostalCode = safeText('Code postal invalide').trim().max(16, 'Code postal invalide').refine(isValidFrPostalCode, 'Code postal invalide');

export const ZCountryCode = safeText('Code pays invalide (ISO 3166, 2 lettres)')
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Code pays invalide (ISO 3166, 2 lettres)');

/** A structured postal address, as SEPA requires from November 2026 (lengths from the EPC rules). */
export const ZPostalAddress = z
  .strictObject({
    line1: text(70).min(1, 'Adresse requise'),
    line2: text(70).nullish(),
    postalCode: safeText('Code postal invalide').trim().min(1, 'Code postal requis').max(16, 'Code postal trop long'),
    city: text(35).min(1, 'Ville requise'),
    country: ZCountryCode.default('FR'),
  })
  .superRefine((address, ctx) => {
    if (address.country === 'FR' && !isValidFrPostalCode(address.postalCode)) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Code postal invalide' });
    }
  });
export type TPostalAddress = z.infer<typeof ZPostalAddress>;

/** An e-mail address as stored: trimmed, lower case. */
export const ZEmail = safeText('Email invalide')
  .trim()
  .toLowerCase()
  .max(254, 'Email trop long')
  .pipe(z.email('Email invalide'));

/**
 * A French (metropolitan or overseas, `parsePhone`) or international phone number, stored in
 * E.164: "+33612345678", "+590690123456".
 */
export const ZPhone = safeText()
  .trim()
  .max(40, 'Numéro de téléphone invalide')
  .transform((value, ctx) => {
    const phone = parsePhone(value);
    if (phone === null) {
      ctx.addIssue({ code: 'custom', message: 'Numéro de téléphone invalide' });
      return z.NEVER;
    }
    return phone;
  });

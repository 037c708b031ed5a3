import { z } from 'zod';
import { safeText, text } from '../shared/input-rules.ts';
import { ZCreditorIdentifier, ZSepaIban } from '../sepa/sepa.schema.ts';
import {
  ZBic,
  ZFrVat,
  ZPostalAddress,
  ZSiren,
  ZSiret,
} from '../shared/identifiers.schema.ts';

const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

export const SUPPORTED_LOCALES = ['fr-FR'] as const;

/** Partial update of the organisation's settings; `null` clears an optional field. */
export const ZUpdateOrganisationInput = z.strictObject({
  name: safeText().trim().min(1, 'Nom requis').max(120, 'Nom trop long').optional(),
  legalName: safeText().trim().min(1, 'Raison sociale requise').max(140, 'Raison sociale trop longue').nullable().optional(),
  legalForm: text(20).nullable().optional(),
  siren: ZSiren.nullable().optional(),
  siret: ZSiret.nullable().optional(),
  vatNumber: ZFrVat.nullable().optional(),
  address: ZPostalAddress.nullable().optional(),
  sepaCreditorId: ZCreditorIdentifier.nullable().optional(),
  creditorIban: ZSepaIban.nullable().optional(),
  creditorBic: ZBic.nullable().optional(),
  /** The bank reports insufficient funds as MS03 ("reason not specified"): such rejections may then be presented again. */
  sepaMs03InsufficientFunds: z.boolean().optional(),
  invoicePrefix: safeText()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{1,10}$/, 'Préfixe invalide (1 à 10 lettres, chiffres ou tirets)')
    .optional(),
  timezone: safeText().max(64, 'Fuseau horaire inconnu').refine((tz) => TIME_ZONES.has(tz), 'Fuseau horaire inconnu').optional(),
  locale: z.enum(SUPPORTED_LOCALES, 'Langue non prise en charge').optional(),
});
export type TUpdateOrganisationInput = z.infer<typeof ZUpdateOrganisationInput>;

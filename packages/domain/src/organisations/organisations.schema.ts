import { z } from 'zod';
import { ZEmail } from '../auth/auth.schema.ts';
import { safeText, text } from '../shared/input-rules.ts';
import { ZCreditorIdentifier, ZSepaIban } from '../sepa/sepa.schema.ts';
import { MAX_REPRESENTATIONS_LIMIT, PAYDAY_RULES } from '../retries/retry-rules.ts';
import {
  ZBic,
  ZFrVat,
  ZPostalAddress,
  ZSiren,
  ZSiret,
} from '../shared/identifiers.schema.ts';

const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

/** The pain.008 versions the organisation's bank may ask for (.08 by default; .02 only for banks still on it). */
export const SEPA_FILE_FORMATS = ['pain.008.001.08', 'pain.008.001.02'] as const;

const whole = (label: string, min: number, max: number, unit: [string, string] = ['', '']) => {
  const count = (n: number) => `${n}${unit[0] ? ` ${n > 1 ? unit[1] : unit[0]}` : ''}`;
  return z
    .number(`${label} : un nombre`)
    .int(`${label} : un nombre entier`)
    .min(min, `${label} : ${count(min)} au moins`)
    .max(max, `${label} : ${count(max)} au plus`);
};

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
  /** Where consumers may write (the withdrawal form names it). */
  contactEmail: ZEmail.nullable().optional(),
  sepaFormat: z.enum(SEPA_FILE_FORMATS, 'Format inconnu : pain.008.001.08 ou pain.008.001.02').optional(),
  /** Day of the month debits fall due when a contract says none; 28 at most, so every month has it. */
  sepaDebitDay: whole('Jour de prélèvement', 1, 28).optional(),
  /** Calendar days between the pre-notification and the debit (SEPA: 14 unless agreed otherwise), as a contract's. */
  sepaPreNotificationDays: whole('Préavis', 1, 30, ['jour', 'jours']).optional(),
  /** FRST on a mandate's first debit, or RCUR from the start (allowed since 2016, some banks still want FRST). */
  sepaUseFrst: z.boolean('Oui ou non').optional(),
  /**
   * TARGET2 business days without a rejection after which a debit counts as paid: not before the
   * 5 a CORE debit can still be returned in (interbank rule), a month at most.
   */
  sepaSettleAfterDays: whole('Délai avant encaissement', 5, 30, ['jour ouvré', 'jours ouvrés']).optional(),
  /**
   * The organisation's contract terms say the schedule handed over at signature is the debtor's
   * pre-notification of its debits: no notice per debit is then required before a batch.
   */
  sepaScheduleIsNotice: z.boolean('Oui ou non').optional(),
  /** Days of notice a re-presented debit gets where the terms allow shorter than the first one; null: as the first. */
  sepaRepresentationNoticeDays: whole('Préavis d’une nouvelle présentation', 1, 30, ['jour', 'jours']).nullable().optional(),
  /** The bank reports insufficient funds as MS03 ("reason not specified"): such rejections may then be presented again. */
  sepaMs03InsufficientFunds: z.boolean('Oui ou non').optional(),
  /** Re-presentations of a debit rejected for want of funds, after the first presentation (2 by default; 0: never). */
  retryMaxAttempts: whole('Nouvelles présentations', 0, MAX_REPRESENTATIONS_LIMIT).optional(),
  /** When a re-presentation is collected: after the 1st, after the month end, or as early as possible. */
  retryPaydayRule: z.enum(PAYDAY_RULES, 'Règle inconnue').optional(),
  /** A reject fee the contract states is charged, as a separate debit (never named recovery costs). */
  retryRejectFeeEnabled: z.boolean('Oui ou non').optional(),
  /** A welcome mail to each new client that has an e-mail address. */
  welcomeMailEnabled: z.boolean('Oui ou non').optional(),
  invoicePrefix: safeText()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{1,10}$/, 'Préfixe invalide (1 à 10 lettres, chiffres ou tirets)')
    .optional(),
  timezone: safeText().max(64, 'Fuseau horaire inconnu').refine((tz) => TIME_ZONES.has(tz), 'Fuseau horaire inconnu').optional(),
  locale: z.enum(SUPPORTED_LOCALES, 'Langue non prise en charge').optional(),
});
export type TUpdateOrganisationInput = z.infer<typeof ZUpdateOrganisationInput>;

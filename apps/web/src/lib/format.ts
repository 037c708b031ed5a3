import { displayPhone } from '@crm/domain/browser';

// Display formats of the French back office: EUR amounts from integer cents, dates in Paris.
const eur = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const longDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });

export const formatEur = (cents: number): string => eur.format(cents / 100);
export const formatDate = (iso: string): string => date.format(new Date(iso));
/** "5 janvier 2027", for sentences ("prélevé le 5 janvier 2027"). */
export const formatLongDate = (iso: string): string => longDate.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** A stored E.164 phone as dialled in France: 06 12 34 56 78, 0690 12 34 56 (overseas); others as stored. */
export const formatPhone = displayPhone;

/** How products and contracts are billed (the BillingFrequency enum of the schema). */
export type BillingFrequency = 'one_off' | 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';

const NBSP = '\u00a0';
const PERIOD_NAME: Record<Exclude<BillingFrequency, 'one_off'>, string> = { monthly: 'mois', quarterly: 'trimestre', half_yearly: 'semestre', yearly: 'an' };
const PERIOD_MONTHS: Record<Exclude<BillingFrequency, 'one_off'>, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/**
 * The one way the app writes a price or a total: an amount never goes without its tax basis and
 * its period. "216,00 € TTC / trimestre", "49,90 € HT / mois", "120,00 € TTC (une fois)"; without a
 * known period (a form not filled yet) only "216,00 € TTC"; a VAT amount has no basis ("36,00 € / trimestre").
 */
export function formatPrice(cents: number, frequency: BillingFrequency | null, tax: 'HT' | 'TTC' | null): string {
  const amount = tax ? `${formatEur(cents)}${NBSP}${tax}` : formatEur(cents);
  if (frequency === null) return amount;
  if (frequency === 'one_off') return `${amount} (une${NBSP}fois)`;
  return `${amount}${NBSP}/ ${PERIOD_NAME[frequency]}`;
}

/** What a periodic amount is worth per month, to compare contracts billed differently; null for a one-off. */
export function monthlyCents(cents: number, frequency: BillingFrequency): number | null {
  return frequency === 'one_off' ? null : Math.round(cents / PERIOD_MONTHS[frequency]);
}

/** "soit 72,00 € TTC / mois" under a quarterly or yearly price; nothing when it is already monthly or one-off. */
export function perMonthHint(cents: number, frequency: BillingFrequency, tax: 'HT' | 'TTC'): string | null {
  const monthly = monthlyCents(cents, frequency);
  return monthly === null || frequency === 'monthly' ? null : `soit ${formatPrice(monthly, 'monthly', tax)}`;
}

/**
 * An IBAN as shown by default: its country and check digits, then its last four characters,
 * "FR76 •••• 0189" (enough to recognise an account, not to use it); `null` stays empty.
 */
export { maskIban } from '@crm/domain/browser';

/** "FR7630006000011234567890189" -> "FR76 3000 6000 0112 3456 7890 189", as people read and type it. */
export const friendlyIban = (iban: string): string => iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');

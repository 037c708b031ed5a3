import { displayPhone } from '@crm/domain/browser';

// Display formats of the French back office: EUR amounts from integer cents, dates in Paris.
const eur = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const date = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });

export const formatEur = (cents: number): string => eur.format(cents / 100);
export const formatDate = (iso: string): string => date.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** A stored E.164 phone as dialled in France: 06 12 34 56 78, 0690 12 34 56 (overseas); others as stored. */
export const formatPhone = displayPhone;

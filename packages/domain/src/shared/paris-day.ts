/**
 * The calendar day of an instant in Paris ("2026-11-24"): the one rule for "today" and for the
 * day something happened, as the back office lives it (business dates are Paris dates). Pure, so
 * the web app bundles the same one (`@crm/domain/browser`).
 */
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

export const parisDay = (instant: string | Date): string => PARIS_DAY.format(typeof instant === 'string' ? new Date(instant) : instant);

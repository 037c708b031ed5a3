import { addBusinessDays, addDays, type IsoDate } from '../calendar/business-days.ts';

// The consumer's right of withdrawal from a contract concluded off premises or at a distance
// (Code de la consommation, L221-18 to L221-28): one rule for the deadline, used by the withdrawal
// itself (contract-transitions.ts), the contract page and the contract PDF. Pure: no database.

/** Days a consumer has to withdraw (L221-18). */
export const WITHDRAWAL_DAYS = 14;

/**
 * The last day a consumer may withdraw from a service contract concluded on `signedOn` (a Paris
 * calendar day). L221-19, after regulation 1182/71: the day of conclusion does not count, the
 * period ends at the end of its fourteenth day, and a period that would end on a Saturday, a
 * Sunday or a public holiday runs on to the next working day (French national holidays,
 * business-days.ts; Alsace-Moselle's two extra days are not counted).
 */
export function withdrawalDeadline(signedOn: IsoDate): IsoDate {
  return addBusinessDays(addDays(signedOn, WITHDRAWAL_DAYS), 0, 'france');
}

/** Whether a withdrawal sent on `today` (Paris) is in time for a contract concluded on `signedOn`. */
export const withinWithdrawalPeriod = (signedOn: IsoDate, today: IsoDate): boolean => today <= withdrawalDeadline(signedOn);

/** How the period runs, in the words the contract PDF prints (the rule withdrawalDeadline computes). */
export const WITHDRAWAL_PERIOD_TEXT =
  'Le délai de rétractation expire quatorze jours après le jour de la conclusion du contrat ; ' +
  's’il expire un samedi, un dimanche ou un jour férié ou chômé, il est prorogé jusqu’au premier jour ouvrable suivant.';

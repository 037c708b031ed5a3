import { addBusinessDays, addDays, isBusinessDay, isWeekend, target2ClosingDays } from '../calendar/business-days.ts';

// The collection date of a batch, in words a person reads: which day is possible, and why another
// is not. Pure (no database): the batch form shows the same advice the server enforces.

/** Bank business days (TARGET2, the euro settlement calendar) the bank needs the file before the collection date. */
export const BANK_CUT_OFF_BUSINESS_DAYS = 1;

const WEEKDAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** 2026-12-28 -> "lundi 28 décembre 2026" (1 -> "1er"). */
export function longFrenchDate(iso: string): string {
  const day = Number(iso.slice(8, 10));
  const weekday = WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]!;
  return `${weekday} ${day === 1 ? '1er' : day} ${MONTHS[Number(iso.slice(5, 7)) - 1]!} ${iso.slice(0, 4)}`;
}

/** The earliest day a batch built today can be collected: a bank business day the file reaches a business day ahead. */
export function earliestCollectionDate(today: string): string {
  let candidate = addBusinessDays(addDays(today, 1), 0, 'target2');
  while (addBusinessDays(candidate, -BANK_CUT_OFF_BUSINESS_DAYS, 'target2') < today) candidate = addBusinessDays(addDays(candidate, 1), 0, 'target2');
  return candidate;
}

/** The proposed collection date and why, in plain French. */
export function proposeCollectionDate(today: string): { date: string; explanation: string } {
  const date = earliestCollectionDate(today);
  return {
    date,
    explanation:
      `Prochaine date possible : ${longFrenchDate(date)}. La banque doit recevoir le fichier au moins un jour ouvré bancaire avant le prélèvement ; ` +
      'les samedis, dimanches et jours de fermeture des banques (1er janvier, Vendredi saint, lundi de Pâques, 1er mai, 25 et 26 décembre) ne comptent pas. ' +
      'Chaque débiteur doit aussi avoir reçu sa pré-notification assez tôt.',
  };
}

/**
 * Why a collection date is refused, in plain French with the next possible day ("Noël, prochain
 * jour possible : lundi 28 décembre 2026"); null when the bank can take it.
 */
export function collectionDateRefusal(date: string, today: string): string | null {
  if (!isBusinessDay(date, 'target2')) {
    const closing = target2ClosingDays(Number(date.slice(0, 4))).find((h) => h.date === date);
    const why = closing ? closing.name : isWeekend(date) ? (new Date(`${date}T00:00:00Z`).getUTCDay() === 0 ? 'Dimanche' : 'Samedi') : 'Banques fermées';
    const next = addBusinessDays(date, 0, 'target2');
    const possible = next < earliestCollectionDate(today) ? earliestCollectionDate(today) : next;
    return `${why}, pas de prélèvement ce jour-là ; prochain jour possible : ${longFrenchDate(possible)}`;
  }
  if (addBusinessDays(date, -BANK_CUT_OFF_BUSINESS_DAYS, 'target2') < today) {
    return `Trop tard pour cette date : la banque doit recevoir le fichier un jour ouvré bancaire avant ; prochain jour possible : ${longFrenchDate(earliestCollectionDate(today))}`;
  }
  return null;
}

import { z } from 'zod';

/** Money is integer cents of EUR everywhere; only display turns it into euros. */
export const ZCents = z.number().int('Montant en centimes entiers').nonnegative().max(Number.MAX_SAFE_INTEGER);

const EUR = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
export const formatEur = (cents: number): string => EUR.format(cents / 100);

/**
 * VAT of one line, rounded half-up to the cent with integer arithmetic only.
 * `rateBasisPoints`: 2000 = 20 %, 550 = 5.5 %.
 */
export function vatOfLine(amountCents: number, rateBasisPoints: number): number {
  if (!Number.isSafeInteger(amountCents) || !Number.isSafeInteger(rateBasisPoints)) throw new RangeError('integers only');
  const product = amountCents * rateBasisPoints;
  const sign = product < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(product) + 5_000) / 10_000);
}

import type { BILLING_FREQUENCIES } from './products.schema.ts';

export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];

const MONTHS: Record<Exclude<BillingFrequency, 'one_off'>, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/**
 * A catalogue price, given for its product's period, as the price of one period of a contract
 * billed at another frequency: a 49.90 EUR monthly product costs 149.70 EUR on a quarterly
 * contract, a 1,200.00 EUR yearly premium 100.00 EUR on a monthly one. Prorated by months, the
 * cent rounded half up (a 100.00 EUR yearly price is 8.33 EUR a month: the contract's price is
 * then 8.33, said on the line). A one-off product has no period to convert and a one-off
 * contract no period to convert to: null, refused by the caller.
 */
export function priceForPeriod(priceCents: number, from: BillingFrequency, to: BillingFrequency): number | null {
  if (from === to) return priceCents;
  if (from === 'one_off' || to === 'one_off') return null;
  // Integer half-up rounding of priceCents * to / from, without floating point.
  const numerator = priceCents * MONTHS[to];
  const denominator = MONTHS[from];
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

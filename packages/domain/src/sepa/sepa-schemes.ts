import { badRequest } from '../shared/errors.ts';

/** SEPA direct debit schemes: CORE (anyone) and B2B (interentreprises: companies only). */
export const SEPA_SCHEMES = ['CORE', 'B2B'] as const;
export type SepaSchemeName = (typeof SEPA_SCHEMES)[number];

/**
 * The B2B rulebook is for business debtors: a company that is not acting as a consumer (a
 * consumer keeps CORE's eight weeks of refund). A field error under `field` otherwise.
 */
export function assertSchemeAllowed(scheme: SepaSchemeName, debtor: { kind: string; consumer: boolean | null | undefined }, field: string): void {
  if (scheme === 'B2B' && (debtor.kind !== 'company' || debtor.consumer === true)) {
    throw badRequest('Le schéma B2B est réservé aux entreprises', { [field]: ['Le schéma B2B est réservé aux entreprises (non consommateurs)'] });
  }
}

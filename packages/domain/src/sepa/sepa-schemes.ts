import { badRequest } from '../shared/errors.ts';
import type { SepaLocalInstrument } from './sepa-direct-debit-types.ts';

/**
 * The B2B rulebook (interentreprises) is for business debtors: a company that is not acting as
 * a consumer (a consumer keeps CORE's eight weeks of refund). A field error under `field` otherwise.
 */
export function assertSchemeAllowed(scheme: SepaLocalInstrument, debtor: { kind: string; consumer: boolean | null | undefined }, field: string): void {
  if (scheme === 'B2B' && (debtor.kind !== 'company' || debtor.consumer === true)) {
    throw badRequest('Le schéma B2B est réservé aux entreprises', { [field]: ['Le schéma B2B est réservé aux entreprises (non consommateurs)'] });
  }
}

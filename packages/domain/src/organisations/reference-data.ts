import type { Tx } from '@crm/db';

/** Reference data the organisation settings form offers (global, read-only). */
export async function listLegalForms(tx: Tx) {
  return tx.legalForm.findMany({ orderBy: { code: 'asc' }, select: { code: true, label: true } });
}

export async function listCountries(tx: Tx) {
  return tx.country.findMany({ orderBy: { nameFr: 'asc' }, select: { code: true, nameFr: true, isSepa: true } });
}

/** The SEPA reason codes with their French label and category (what a rejection with it leads to). */
export async function listSepaReturnReasons(tx: Tx) {
  return tx.sepaReturnReason.findMany({ orderBy: { code: 'asc' }, select: { code: true, labelFr: true, category: true } });
}

export async function listVatRates(tx: Tx) {
  return tx.vatRate.findMany({ orderBy: { rateBasisPoints: 'desc' } });
}

export async function listCivilities(tx: Tx) {
  return tx.civility.findMany({ orderBy: { code: 'asc' } });
}

import type { Tx } from '@crm/db';

/** Reference data the organisation settings form offers (global, read-only). */
export async function listLegalForms(tx: Tx) {
  return tx.legalForm.findMany({ orderBy: { code: 'asc' }, select: { code: true, label: true } });
}

export async function listCountries(tx: Tx) {
  return tx.country.findMany({ orderBy: { nameFr: 'asc' }, select: { code: true, nameFr: true, isSepa: true } });
}

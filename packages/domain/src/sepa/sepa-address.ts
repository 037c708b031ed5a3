import type { SepaPostalAddress } from './sepa-direct-debit-types.ts';

// When a SEPA debit must carry a party's postal address, and how a stored address becomes the
// structured one the file writes. Pure: no database.

/**
 * The European Economic Area: the 27 member states of the EU, with the ISO codes some of their
 * outermost regions also have (Guadeloupe, French Guiana, Martinique, Réunion, Mayotte,
 * Saint-Martin, Åland), plus Iceland, Liechtenstein and Norway.
 */
const EEA = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL',
  'PT', 'RO', 'SE', 'SI', 'SK',
  'GP', 'GF', 'MQ', 'RE', 'YT', 'MF', 'AX',
  'IS', 'LI', 'NO',
]);

/** Whether a country (ISO 3166 alpha-2) is in the European Economic Area. */
export const isEeaCountry = (country: string): boolean => EEA.has(country.toUpperCase());

/**
 * The EPC rulebooks (SDD Core and B2B, 2023 and later) require the debtor's postal address in a
 * collection whose debtor bank is in a SEPA country outside the EEA: Switzerland, Monaco,
 * San Marino, Vatican City, Andorra, the United Kingdom (Jersey, Guernsey and the Isle of Man
 * have GB IBANs), Gibraltar, and the countries that joined since (Albania, Moldova, Montenegro,
 * North Macedonia...). The bank's country is the IBAN's; a BIC, when given, can name another one
 * (Saint-Pierre-et-Miquelon or Saint-Barthélemy banks have FR IBANs but their own country in the
 * BIC), and either outside the EEA requires the address. The same rule applies to the creditor.
 */
export function sepaAddressRequired(account: { iban: string; bic?: string | null }): boolean {
  // Once per debit when a file is built: the IBAN's first two characters, no normalisation.
  if (!EEA.has(account.iban.trimStart().slice(0, 2).toUpperCase())) return true;
  if (!account.bic) return false;
  const bicCountry = account.bic.replace(/\s+/g, '').slice(4, 6).toUpperCase();
  return bicCountry.length === 2 && !EEA.has(bicCountry);
}

export interface StoredAddress {
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
}

// "12 bis rue des Lilas", "12B, avenue Foch", "3-5 place Bellecour" (number first, as in France,
// Monaco, Belgium...) and "Bahnhofstrasse 12a" (number last, as in Switzerland, Germany, Italy).
const NUMBER_FIRST = /^(\d+(?:\s*-\s*\d+)?(?:\s?(?:bis|ter|quater|[a-z]))?)\b[\s,]+(.+)$/i;
const NUMBER_LAST = /^(.*\D)[\s,]+(\d+(?:\s*-\s*\d+)?[a-z]?)$/i;

/** Street name and building number of an address line, when the line reads as "number street" or "street number". */
export function splitStreetLine(line: string): { streetName: string; buildingNumber: string | null } {
  const text = line.trim().replace(/\s+/g, ' ');
  const first = NUMBER_FIRST.exec(text);
  if (first) return { streetName: first[2]!.trim(), buildingNumber: first[1]!.replace(/\s+/g, ' ') };
  const last = NUMBER_LAST.exec(text);
  if (last && /[a-z]/i.test(last[1]!)) return { streetName: last[1]!.replace(/[\s,]+$/, ''), buildingNumber: last[2]!.replace(/\s+/g, '') };
  return { streetName: text, buildingNumber: null };
}

/**
 * A stored address as the structured postal address of a SEPA file: town and country always
 * (null without a town: EPC's minimum is town and country), street name and building number
 * from the first line, the second line (a building, a post box...) as an address line of the
 * hybrid form. Lengths and characters are the file builder's business.
 */
export function toSepaPostalAddress(address: StoredAddress): SepaPostalAddress | null {
  const town = address.city?.trim();
  if (!town) return null;
  const street = address.addressLine1?.trim() ? splitStreetLine(address.addressLine1) : null;
  return {
    streetName: street?.streetName ?? null,
    buildingNumber: street?.buildingNumber ?? null,
    postalCode: address.postalCode?.trim() || null,
    townName: town,
    country: address.country.toUpperCase(),
    addressLine: address.addressLine2?.trim() || null,
  };
}

import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { frenchPlanE164, OVERSEAS_PREFIXES, type OverseasTerritory } from './french-numbering.ts';

/** The overseas regions whose finer blocks the library knows (BL and MF share GP's numbers). */
const OVERSEAS_REGIONS: readonly { region: CountryCode; territory: OverseasTerritory }[] = [
  { region: 'GP', territory: { region: 'GP', code: '590' } },
  { region: 'MQ', territory: { region: 'MQ', code: '596' } },
  { region: 'GF', territory: { region: 'GF', code: '594' } },
  { region: 'RE', territory: { region: 'RE', code: '262' } },
  { region: 'YT', territory: { region: 'YT', code: '262' } },
];
/** A territory's own numbers; national services (08 toll-free, premium...) stay metropolitan. */
const LOCAL_TYPES = new Set<NumberType>(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'VOIP']);

/** The first digits of every overseas block the library knows inside metropolitan-looking ranges (fixed 05 87-89 and 02 68-69, mobiles 07 09, VoIP 09 39, 09 47, 09 76). */
const FINER_OVERSEAS_BLOCKS = /^(?:5[89]|26|709|9(?:39|47|76))/;

/**
 * Which territory of the French plan the nine digits after the 0 belong to: null for
 * metropolitan France, undefined for no valid number. The overseas blocks come first: the
 * library's metadata for France (+33) also calls some of them valid (0596, 0263, 0269, 0508,
 * 09 76...), and metropolitan France never uses them. `metropolitanValid` is asked last, and
 * only then (one parse for most numbers: an import checks hundreds of thousands).
 */
function territoryOf(nineDigits: string, metropolitanValid: () => boolean): OverseasTerritory | null | undefined {
  const byPrefix = OVERSEAS_PREFIXES[nineDigits.slice(0, 3)];
  if (byPrefix) return byPrefix;
  if (FINER_OVERSEAS_BLOCKS.test(nineDigits)) {
    for (const { region, territory } of OVERSEAS_REGIONS) {
      const phone = parsePhoneNumberFromString(`0${nineDigits}`, region);
      const type = phone?.isValid() ? phone.getType() : undefined;
      if (type && LOCAL_TYPES.has(type)) return territory;
    }
  }
  return metropolitanValid() ? null : undefined;
}

/**
 * A phone number as typed (national "0690 12 34 56", "+590 690 12 34 56", "00 590...",
 * "+33 (0)6 12 34 56 78", or any other country's number in international form) in E.164,
 * or null when it is not a valid number.
 *
 * French numbers are read with the whole French plan: a national 0590/0690 (Guadeloupe,
 * Saint-Martin, Saint-Barthélemy), 0596/0696 (Martinique), 0594/0694 (Guyane), 0262/0692
 * (La Réunion), 0269/0639 (Mayotte) or 0508 (Saint-Pierre-et-Miquelon) number gets its
 * territory's country code, not +33, and so does one typed with +33 by mistake.
 */
export function parsePhone(value: string): string | null {
  const phone = parsePhoneNumberFromString(value, 'FR');
  if (!phone) return null;
  const code = phone.countryCallingCode;
  const digits = phone.nationalNumber;
  // The nine digits dialled after the 0 in France, for the countries of the French plan.
  const nine = code === '508' ? (digits.length === 6 ? `508${digits}` : null) : ['33', '262', '590', '594', '596'].includes(code) ? digits : null;
  if (nine !== null && /^\d{9}$/.test(nine)) {
    const territory = territoryOf(nine, () => (code === '33' ? phone.isValid() : Boolean(parsePhoneNumberFromString(`0${nine}`, 'FR')?.isValid())));
    // +33 typed for an overseas number is corrected; another overseas code must be the number's own.
    if (territory !== undefined && (code === '33' || territory?.code === code)) return frenchPlanE164(nine, territory);
  }
  return phone.isValid() ? phone.number : null;
}

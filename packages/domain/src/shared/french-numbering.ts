// The French numbering plan (ARCEP) as the back office dials it: ten digits starting with 0,
// in metropolitan France and in the overseas departments and collectivities alike, although
// the overseas ones have their own E.164 country codes. Pure rules (no phone library): the web
// bundle displays phones with them.

/** A territory of the French plan whose E.164 country code is not +33. */
export interface OverseasTerritory {
  /** ISO 3166 region (GP also stands for Saint-Martin and Saint-Barthélemy, same numbers). */
  region: 'GP' | 'MQ' | 'GF' | 'RE' | 'YT' | 'PM';
  /** E.164 country calling code. */
  code: '590' | '596' | '594' | '262' | '508';
}

const GP = { region: 'GP', code: '590' } as const;
const MQ = { region: 'MQ', code: '596' } as const;
const GF = { region: 'GF', code: '594' } as const;
const RE = { region: 'RE', code: '262' } as const;
const YT = { region: 'YT', code: '262' } as const;
const PM = { region: 'PM', code: '508' } as const;

/**
 * The overseas blocks by the first three digits after the 0 (ZAB of "0ZABPQ..."): reserved to
 * their territory as a whole, so any number in them is that territory's, whatever the phone
 * library's block-level data (which lags the allocations) says. Finer overseas blocks inside
 * metropolitan-looking ranges (VoIP 09 76, mobiles 07 09, fixed 05 87-89, 02 68) are left to
 * the library's per-region data (`phone-numbers.ts`).
 */
export const OVERSEAS_PREFIXES: Readonly<Record<string, OverseasTerritory>> = {
  '590': GP, '690': GP, '691': GP,
  '596': MQ, '696': MQ, '697': MQ,
  '594': GF, '694': GF,
  '262': RE, '263': RE, '692': RE, '693': RE,
  '269': YT, '639': YT,
  // Saint-Pierre-et-Miquelon: 0508 + its six-digit numbers (+508 41 12 34).
  '508': PM,
};

/** Country codes of numbers dialled in France as 0 + nine digits. */
const PLAN_CODES = ['33', '262', '590', '594', '596'] as const;

/**
 * The E.164 number of a French-plan number given by its nine digits after the 0, in `territory`
 * (metropolitan France when null): +590 690 12 34 56 for 0690 12 34 56, +508 41 12 34 for
 * 0508 41 12 34.
 */
export function frenchPlanE164(nineDigits: string, territory: OverseasTerritory | null): string {
  if (!territory) return `+33${nineDigits}`;
  return territory.code === '508' ? `+508${nineDigits.slice(3)}` : `+${territory.code}${nineDigits}`;
}

/**
 * An E.164 number (or its start, as typed in a search) as dialled in France: +33612345678 ->
 * 0612345678, +590690123456 -> 0690123456, +262692123456 -> 0692123456, +508411234 ->
 * 0508411234. Numbers of other countries are returned unchanged.
 */
export function nationalPhone(phone: string): string {
  if (!phone.startsWith('+')) return phone;
  for (const code of PLAN_CODES) {
    if (phone.startsWith(code, 1)) return `0${phone.slice(code.length + 1)}`;
  }
  // Saint-Pierre-et-Miquelon's six digits; its nine-digit numbers are only dialled as +508.
  if (phone.startsWith('508', 1) && phone.length <= 10) return `0508${phone.slice(4)}`;
  return phone;
}

/**
 * A stored phone as the French back office reads it: metropolitan numbers in pairs
 * (06 12 34 56 78), overseas ones with their four-digit prefix (0690 12 34 56), others as stored.
 */
export function displayPhone(e164: string): string {
  const national = nationalPhone(e164);
  if (national === e164 || !/^0\d{9}$/.test(national)) return e164;
  return !e164.startsWith('+33') ? `${national.slice(0, 4)} ${national.slice(4).replace(/(\d\d)(?=\d)/g, '$1 ')}` : national.replace(/(\d\d)(?=\d)/g, '$1 ');
}

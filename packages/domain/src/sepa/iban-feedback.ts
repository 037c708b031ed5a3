import { getCountrySpecifications, isSEPACountry } from 'ibantools';
import { isValidNormalizedSepaIban, normalizeSepaIban } from './sepa-identifiers.ts';

const COUNTRIES = getCountrySpecifications();

export type IbanFeedback =
  | { status: 'empty' }
  | { status: 'valid'; iban: string }
  /** Still being typed: too short for its country, nothing wrong so far. */
  | { status: 'incomplete'; message: string }
  | { status: 'invalid'; message: string };

/**
 * What to tell someone typing a debtor IBAN, in French. "valid" is exactly the check the server
 * makes (`isValidNormalizedSepaIban`), so a form never says "valide" to an IBAN the API refuses;
 * the other answers only say why, to help the typing.
 */
export function ibanFeedback(value: string): IbanFeedback {
  const iban = normalizeSepaIban(value);
  if (iban === '') return { status: 'empty' };
  if (isValidNormalizedSepaIban(iban)) return { status: 'valid', iban };
  if (!/^[A-Z]/.test(iban) || (iban.length >= 2 && !/^[A-Z]{2}/.test(iban))) {
    return { status: 'invalid', message: 'IBAN invalide : il commence par le code du pays (FR76…)' };
  }
  if (iban.length < 2) return { status: 'incomplete', message: 'IBAN incomplet' };
  const country = iban.slice(0, 2);
  const spec = COUNTRIES[country];
  if (!spec?.chars) return { status: 'invalid', message: `IBAN invalide : pays « ${country} » inconnu` };
  if (!isSEPACountry(country)) return { status: 'invalid', message: `IBAN invalide : pays « ${country} » hors zone SEPA` };
  if (!/^[A-Z]{2}\d{0,2}$/.test(iban.slice(0, 4))) return { status: 'invalid', message: 'IBAN invalide : deux chiffres de contrôle suivent le code du pays' };
  if (/[^A-Z0-9]/.test(iban)) return { status: 'invalid', message: 'IBAN invalide : lettres et chiffres seulement' };
  if (iban.length < spec.chars) return { status: 'incomplete', message: `IBAN incomplet : ${iban.length} caractères sur ${spec.chars}` };
  if (iban.length > spec.chars) return { status: 'invalid', message: `IBAN invalide : ${spec.chars} caractères attendus, ${iban.length} saisis` };
  return { status: 'invalid', message: 'IBAN invalide : clé de contrôle incorrecte, vérifiez la saisie' };
}

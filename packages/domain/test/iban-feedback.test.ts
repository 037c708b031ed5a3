import { describe, expect, it } from 'vitest';
import { isValidSepaIban } from '../src/sepa/sepa-identifiers.ts';
import { ibanFeedback } from '../src/sepa/iban-feedback.ts';

describe('ibanFeedback (what a form says while an IBAN is typed)', () => {
  it('says valid exactly when the server check accepts the IBAN', () => {
    for (const iban of ['FR76 3000 6000 0112 3456 7890 189', 'fr7630006000011234567890189', 'DE89 3704 0044 0532 0130 00', 'MC58 1122 2000 0101 2345 6789 030']) {
      expect(ibanFeedback(iban)).toEqual({ status: 'valid', iban: iban.replace(/\s+/g, '').toUpperCase() });
      expect(isValidSepaIban(iban)).toBe(true);
    }
    // Right mod 97 but a wrong French RIB key, and a non-SEPA country: the server refuses both, so does the form.
    for (const iban of ['FR76 3000 6000 0112 3456 7890 188', 'BR15 0000 0000 0000 1093 2840 814P2', 'FR7630006000011234567890189 0']) {
      expect(ibanFeedback(iban).status).toBe('invalid');
      expect(isValidSepaIban(iban)).toBe(false);
    }
  });

  it('tells an IBAN being typed from a wrong one, in French', () => {
    expect(ibanFeedback('   ')).toEqual({ status: 'empty' });
    expect(ibanFeedback('F')).toEqual({ status: 'incomplete', message: 'IBAN incomplet' });
    expect(ibanFeedback('FR76 3000 6')).toEqual({ status: 'incomplete', message: 'IBAN incomplet : 9 caractères sur 27' });
    expect(ibanFeedback('3000 6000')).toEqual({ status: 'invalid', message: 'IBAN invalide : il commence par le code du pays (FR76…)' });
    expect(ibanFeedback('FRA6')).toEqual({ status: 'invalid', message: 'IBAN invalide : deux chiffres de contrôle suivent le code du pays' });
    expect(ibanFeedback('BR15 0000')).toEqual({ status: 'invalid', message: 'IBAN invalide : pays « BR » hors zone SEPA' });
    expect(ibanFeedback('QQ12 3456')).toEqual({ status: 'invalid', message: 'IBAN invalide : pays « QQ » inconnu' });
    expect(ibanFeedback('FR76 3000.6000')).toEqual({ status: 'invalid', message: 'IBAN invalide : lettres et chiffres seulement' });
    expect(ibanFeedback('FR76 3000 6000 0112 3456 7890 1890')).toEqual({ status: 'invalid', message: 'IBAN invalide : 27 caractères attendus, 28 saisis' });
    expect(ibanFeedback('FR76 3000 6000 0112 3456 7890 188')).toEqual({ status: 'invalid', message: 'IBAN invalide : clé de contrôle incorrecte, vérifiez la saisie' });
  });
});

import { isMaskedIban } from '@crm/domain/browser';
import { useState } from 'react';
import { t } from '../i18n/fr.ts';
import { friendlyIban, maskIban } from '../lib/format.ts';

/**
 * An IBAN masked by default ("FR76 •••• 0189"); a person whose work needs the whole number
 * (`canReveal`) shows it with "Afficher", on purpose, one IBAN at a time. The server sends the
 * whole IBAN only to who writes the record (domain shared/iban-disclosure.ts); a value that came
 * masked offers no "Afficher", which would reveal nothing.
 */
export function MaskedIban({ iban, canReveal }: { iban: string; canReveal: boolean }) {
  const [shown, setShown] = useState(false);
  const revealable = canReveal && !isMaskedIban(iban);
  return (
    <span className="masked-iban">
      <code data-testid="iban">{shown && revealable ? friendlyIban(iban) : maskIban(iban)}</code>
      {revealable && (
        <button type="button" className="link-button" aria-pressed={shown} aria-label={shown ? t.iban.hide : t.iban.show} onClick={() => setShown(!shown)}>
          {shown ? t.iban.hideShort : t.iban.showShort}
        </button>
      )}
    </span>
  );
}

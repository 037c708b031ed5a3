// How a masked IBAN looks, shared by the server (iban-disclosure.ts) and the web (browser.ts): pure, no database.

/** The mark of a masked IBAN: a whole IBAN never contains it, so the web knows there is nothing to reveal. */
export const IBAN_MASK_CHAR = '•';

/** "FR76 3000 6000 0112 3456 7890 189" -> "FR76 •••• 0189"; too short to be an IBAN -> "••••". */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 9) return IBAN_MASK_CHAR.repeat(4);
  return `${compact.slice(0, 4)} ${IBAN_MASK_CHAR.repeat(4)} ${compact.slice(-4)}`;
}

export const isMaskedIban = (value: string): boolean => value.includes(IBAN_MASK_CHAR);

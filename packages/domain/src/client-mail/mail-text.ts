// Small helpers for the tenants' mail to their clients: French amounts and dates, and an HTML
// part built from the same paragraphs as the plain text (escaped, nothing else).

const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** 4990 -> "49,90 €" (with the French narrow no-break spaces). */
export const euros = (cents: number): string => EUROS.format(cents / 100);

/** 2026-03-10 -> 10/03/2026. */
export const frenchDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The plain-text and HTML parts of one mail, from its paragraphs (a paragraph's lines stay lines). */
export function mailBodies(paragraphs: readonly string[]): { textBody: string; htmlBody: string } {
  const kept = paragraphs.filter((p) => p.trim() !== '');
  return {
    textBody: `${kept.join('\n\n')}\n`,
    htmlBody: `<!doctype html><html lang="fr"><body style="font-family:sans-serif;line-height:1.5">${kept
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join('')}</body></html>`,
  };
}

/** "Bonjour Jean Dupont," or, for a company, "Bonjour," followed by its name on no line of its own. */
export const greeting = (name: string | null | undefined): string => (name?.trim() ? `Bonjour ${name.trim()},` : 'Bonjour,');

/** How the organisation signs its mail, and where the client may answer. */
export function signature(organisation: { name: string; contactEmail: string | null }): string {
  return organisation.contactEmail ? `${organisation.name}\nContact : ${organisation.contactEmail}` : organisation.name;
}

/** The variables every template has (template-defaults.ts, COMMON). */
export function commonValues(
  organisation: { name: string; contactEmail: string | null },
  client: { email: string | null; kind: string; greetingName: string | null; companyName?: string | null },
  greetingName: string | null,
): Record<string, string> {
  return {
    salutation: greeting(greetingName),
    'client.nom': client.greetingName ?? client.companyName ?? '',
    'client.email': client.email ?? '',
    'organisation.nom': organisation.name,
    'organisation.contact': organisation.contactEmail ?? '',
    signature: signature(organisation),
  };
}

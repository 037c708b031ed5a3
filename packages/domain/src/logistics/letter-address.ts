/**
 * A client's postal address as Maileva's six lines (AFNOR NF Z10-011 order): 1 company,
 * 2 civility and name, 3 building, 4 number and street, 5 locality or PO box, 6 "CP Ville"
 * (required, like the ISO country). Pure: the queue, the checks and the web's preview share it.
 */
export type AddressLines = [string | null, string | null, string | null, string | null, string | null, string | null];

export interface PostalAddress {
  lines: AddressLines;
  countryCode: string;
}

/** La Poste's rule for a printed address: at most 38 characters a line (NF Z10-011). */
export const ADDRESS_LINE_MAX = 38;

interface ClientAddressFields {
  kind: string;
  civility?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country: string;
}

const clean = (value: string | null | undefined): string | null => {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
};

export function clientPostalAddress(client: ClientAddressFields): PostalAddress {
  const person = clean([client.civility, client.firstName, client.lastName?.toUpperCase()].filter(Boolean).join(' '));
  const company = client.kind === 'company' ? clean(client.companyName) : null;
  const cityLine = clean([client.postalCode, client.city?.toUpperCase()].filter(Boolean).join(' '));
  return {
    lines: [company, company ? null : person, clean(client.addressLine2), clean(client.addressLine1), null, cityLine],
    countryCode: client.country.toUpperCase(),
  };
}

/**
 * What Maileva would refuse or La Poste could not deliver, as field errors keyed
 * `address.line<n>` / `address.country` (French: a person reads them).
 */
export function postalAddressErrors(address: PostalAddress, knownCountries: readonly string[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    (errors[key] ??= []).push(message);
  };
  address.lines.forEach((line, index) => {
    if (line !== null && line.length > ADDRESS_LINE_MAX) add(`address.line${index + 1}`, `Ligne ${index + 1} de l'adresse trop longue : ${ADDRESS_LINE_MAX} caractères au plus`);
  });
  if (address.lines.length !== 6) add('address', "L'adresse compte six lignes au plus");
  if (address.lines[5] === null) add('address.line6', "Code postal et ville manquants dans l'adresse du client");
  if (!address.lines[3] && !address.lines[4]) add('address.line4', "Rue ou boîte postale manquante dans l'adresse du client");
  if (!address.lines[0] && !address.lines[1]) add('address.line2', "Nom du destinataire manquant");
  if (!knownCountries.includes(address.countryCode)) add('address.country', `Pays ${address.countryCode} non desservi par l'envoi de courrier`);
  else if (address.countryCode === 'FR' && address.lines[5] !== null && !/^\d{5} \S/.test(address.lines[5])) add('address.line6', 'La dernière ligne doit commencer par un code postal à cinq chiffres');
  return errors;
}

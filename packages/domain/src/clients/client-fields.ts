import type { Prisma } from '@crm/db';
import type { TCreateClientInput, TUpdateClientInput } from './clients.schema.ts';

type Fields = Omit<TUpdateClientInput, 'clientId'>;

/** The columns a create or an update writes, from validated input (address flattened). */
export function clientColumns(input: Fields | TCreateClientInput, now: Date): Prisma.ClientUncheckedUpdateInput {
  const { address, birthDate, marketingConsent, kind: _kind, ignoreDuplicates: _ignore, ...rest } = input as Fields & {
    kind?: unknown;
    ignoreDuplicates?: unknown;
  };
  return {
    ...rest,
    ...(address === undefined
      ? {}
      : address === null
        ? { addressLine1: null, addressLine2: null, postalCode: null, city: null }
        : { addressLine1: address.line1, addressLine2: address.line2 ?? null, postalCode: address.postalCode, city: address.city, country: address.country }),
    ...(birthDate === undefined ? {} : { birthDate: birthDate === null ? null : new Date(birthDate) }),
    // Consent carries its date: the law asks when it was given.
    ...(marketingConsent === undefined ? {} : { marketingConsent, marketingConsentAt: marketingConsent ? now : null }),
  };
}

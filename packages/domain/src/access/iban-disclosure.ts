import type { Role } from '@crm/db';
import { can, type Permission } from './permissions.ts';
import { maskIban } from '../shared/iban-mask.ts';

export { IBAN_MASK_CHAR, isMaskedIban, maskIban } from '../shared/iban-mask.ts';

/**
 * Who receives a whole IBAN. An IBAN leaves the server whole only for the members who write the
 * record it belongs to (the rep who signs with the client reads the debtor's IBAN back; the
 * accountant amends a mandate; an admin sets the creditor account); everyone else (viewer, and any
 * role without that write permission) gets it masked, country + check digits + last 4
 * ("FR76 •••• 0189"): enough to recognise an account, not to use it. Hiding on screen is no access
 * control, so the views apply this, not the web. Documents (contract and mandate PDFs, pain.008
 * files) and the GDPR export of a client are deliberate full disclosures and keep the whole IBAN.
 */
export const IBAN_WRITE_PERMISSION = {
  /** A contract's debtor IBAN (contracts.get and the contract views the mutations return). */
  contractDebtor: 'contracts.write',
  /** A SEPA mandate's IBAN and its original IBAN pending an amendment (mandates.list / get). */
  mandate: 'payments.write',
  /** The organisation's creditor IBAN (organisations.get / update). */
  creditor: 'organisation.write',
} as const satisfies Record<string, Permission>;

export type IbanKind = keyof typeof IBAN_WRITE_PERMISSION;

/** Whether `role` receives the whole IBAN of a record of this kind. */
export const seesWholeIban = (role: Role, kind: IbanKind): boolean => can(role, IBAN_WRITE_PERMISSION[kind]);

/** The IBAN as `role` may receive it: whole for those who write the record, masked otherwise; null stays null. */
export function disclosedIban<T extends string | null>(role: Role, kind: IbanKind, iban: T): T {
  if (iban === null || seesWholeIban(role, kind)) return iban;
  return maskIban(iban) as T;
}

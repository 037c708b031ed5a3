import type { Organisation, Role } from '@crm/db';
import type { TenantDeps } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { disclosedIban } from '../access/iban-disclosure.ts';
import type { SEPA_FILE_FORMATS } from './organisations.schema.ts';
import type { PaydayRule } from '../retries/retry-rules.ts';

/** The active organisation's settings, with its address as one structured object. */
export async function getOrganisation({ tx, actor }: TenantDeps) {
  const organisation = await tx.organisation.findUnique({ where: { id: actor.tenantId } });
  if (!organisation) throw notFound('Organisation');
  return toOrganisationView(organisation, actor.role);
}

/** The settings as `role` may see them: the creditor IBAN whole only for who writes them (iban-disclosure.ts). */
export function toOrganisationView(o: Organisation, role: Role) {
  return {
    id: o.id,
    name: o.name,
    legalName: o.legalName,
    legalForm: o.legalForm,
    siren: o.siren,
    siret: o.siret,
    vatNumber: o.vatNumber,
    address: o.addressLine1
      ? { line1: o.addressLine1, line2: o.addressLine2, postalCode: o.postalCode ?? '', city: o.city ?? '', country: o.country }
      : null,
    sepaCreditorId: o.sepaCreditorId,
    creditorIban: disclosedIban(role, 'creditor', o.creditorIban),
    creditorBic: o.creditorBic,
    contactEmail: o.contactEmail,
    /** The SEPA collection settings: file format, debit day (a contract's schedule preview needs it), notice, FRST, settlement. */
    sepaFormat: o.sepaFormat as (typeof SEPA_FILE_FORMATS)[number],
    sepaDebitDay: o.sepaDebitDay,
    sepaPreNotificationDays: o.sepaPreNotificationDays,
    sepaUseFrst: o.sepaUseFrst,
    sepaSettleAfterDays: o.sepaSettleAfterDays,
    /** The contract terms make the schedule the pre-notification (no notice per debit before a batch). */
    sepaScheduleIsNotice: o.sepaScheduleIsNotice,
    sepaRepresentationNoticeDays: o.sepaRepresentationNoticeDays,
    sepaMs03InsufficientFunds: o.sepaMs03InsufficientFunds,
    /** Re-presenting rejected debits: how many times, on which payday, whether a contract's reject fee is charged. */
    retryMaxAttempts: o.retryMaxAttempts,
    retryPaydayRule: o.retryPaydayRule as PaydayRule,
    retryRejectFeeEnabled: o.retryRejectFeeEnabled,
    welcomeMailEnabled: o.welcomeMailEnabled,
    invoicePrefix: o.invoicePrefix,
    timezone: o.timezone,
    locale: o.locale,
    updatedAt: o.updatedAt.toISOString(),
  };
}
export type OrganisationView = ReturnType<typeof toOrganisationView>;

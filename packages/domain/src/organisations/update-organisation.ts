import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, notFound, type FieldErrors } from '../shared/errors.ts';
import { frVatFromSiren } from '../shared/identifiers.ts';
import { toOrganisationView } from './get-organisation.ts';
import type { TUpdateOrganisationInput } from './organisations.schema.ts';

const COLLECTION_SETTINGS = new Set([
  'sepaFormat',
  'sepaDebitDay',
  'sepaPreNotificationDays',
  'sepaUseFrst',
  'sepaSettleAfterDays',
  'sepaScheduleIsNotice',
  'sepaRepresentationNoticeDays',
  'retryMaxAttempts',
  'retryPaydayRule',
  'retryRejectFeeEnabled',
]);

/**
 * Updates the organisation's settings. Checks that span fields (SIRET within SIREN, French VAT
 * number derived from SIREN, known legal form) run against the merged result, so updating one
 * field alone cannot break them.
 */
export async function updateOrganisation({ tx, actor }: TenantDeps, input: TUpdateOrganisationInput) {
  const current = await tx.organisation.findUnique({ where: { id: actor.tenantId } });
  if (!current) throw notFound('Organisation');

  const { address, ...fields } = input;
  const data = {
    ...fields,
    ...(address === undefined
      ? {}
      : address === null
        ? { addressLine1: null, addressLine2: null, postalCode: null, city: null }
        : {
            addressLine1: address.line1,
            addressLine2: address.line2 ?? null,
            postalCode: address.postalCode,
            city: address.city,
            country: address.country,
          }),
  };
  const merged = { ...current, ...data };

  const errors: FieldErrors = {};
  if (merged.siren && merged.siret && !merged.siret.startsWith(merged.siren)) {
    errors.siret = ['Le SIRET doit commencer par le SIREN'];
  }
  if (merged.siren && merged.vatNumber?.startsWith('FR') && merged.vatNumber !== frVatFromSiren(merged.siren)) {
    errors.vatNumber = [`Le numéro de TVA ne correspond pas au SIREN (attendu ${frVatFromSiren(merged.siren)})`];
  }
  if (fields.legalForm && !(await tx.legalForm.findUnique({ where: { code: fields.legalForm }, select: { code: true } }))) {
    errors.legalForm = ['Forme juridique inconnue'];
  }
  if (Object.keys(errors).length > 0) throw badRequest('Paramètres invalides', errors);

  const changedFields = Object.keys(data).filter(
    (key) => (current as Record<string, unknown>)[key] !== (data as Record<string, unknown>)[key],
  );
  // The collection settings are no secret, and what they were matters when a batch looks wrong.
  const changes = Object.fromEntries(
    changedFields
      .filter((key) => COLLECTION_SETTINGS.has(key))
      .map((key) => [key, { from: (current as unknown as Record<string, string | number | boolean>)[key]!, to: (data as Record<string, string | number | boolean>)[key]! }]),
  );
  const updated = await tx.organisation.update({ where: { id: actor.tenantId }, data });
  if (changedFields.length > 0) {
    await emitEvent(tx, { type: 'organisation.updated', tenantId: actor.tenantId, payload: { organisationId: actor.tenantId, changedFields } });
    await auditAs(tx, actor, {
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: actor.tenantId,
      // Names only for identity and bank details, which do not belong in the audit trail.
      data: { changedFields, ...(Object.keys(changes).length > 0 ? { changes } : {}) },
    });
  }
  return toOrganisationView(updated, actor.role);
}

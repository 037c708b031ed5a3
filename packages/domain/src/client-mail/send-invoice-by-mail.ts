import { auditAs } from '../audit/record-audit.ts';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import type { TInvoiceIdInput } from '../invoices/invoices.schema.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { invoiceMailOf } from './invoice-mail.ts';

/**
 * "Envoyer par e-mail": an issued invoice or credit note mailed to its client again, on a
 * person's demand (each time a new mail, `invoice.sent:<invoice>:<n>`), audited. A draft or a
 * client without an address is a clear 4xx.
 */
export async function sendInvoiceByMail({ tx, actor }: TenantDeps, input: TInvoiceIdInput) {
  const built = await invoiceMailOf(tx, actor.tenantId, input.invoiceId);
  if (!built) throw notFound('Facture');
  if (!built.issued) throw conflict('Un brouillon ne s’envoie pas : émettez la facture d’abord');
  if (!built.mail) throw badRequest('Le client n’a pas d’adresse e-mail : renseignez-la sur sa fiche', { email: ['Adresse e-mail du client requise'] });
  const sent = await tx.outgoingEffect.count({ where: { tenantId: actor.tenantId, idempotencyKey: { startsWith: `invoice.sent:${input.invoiceId}:` } } });
  const idempotencyKey = `invoice.sent:${input.invoiceId}:${sent + 1}`;
  await queueTenantMail(tx, actor.tenantId, { ...built.mail, idempotencyKey, createdBy: actor.userId });
  const mail = await tx.outgoingEffect.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId: actor.tenantId, idempotencyKey } }, select: { id: true, recipient: true, status: true } });
  await auditAs(tx, actor, { action: 'invoice.mailed', entityType: 'invoice', entityId: input.invoiceId, data: { mailId: mail.id } });
  return { mailId: mail.id, recipient: mail.recipient };
}

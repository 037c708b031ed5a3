import { auditAs } from '../audit/record-audit.ts';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import { parisToday } from '../payments/dates.ts';
import { getReject } from '../retries/list-rejects.ts';
import type { TRejectIdInput } from '../retries/retries.schema.ts';
import { sepaReasonOf, REASON_CATEGORY_LABELS, type ReasonCategory } from '../sepa/sepa-reason-codes.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { euros, frenchDate, greeting, mailBodies, signature } from './mail-text.ts';

/**
 * From the rejects queue: asks the debtor of a rejected debit for new bank details, by mail (an
 * outgoing effect, sent after commit; once a day per rejection). The new details are entered
 * through the mandate's amendment, which then lets a person present the debit again.
 */
export async function requestBankDetails(deps: TenantDeps, input: TRejectIdInput) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const payment = await tx.payment.findFirst({
    where: { id: input.paymentId, tenantId, outcome: 'rejected' },
    include: {
      client: { select: { id: true, email: true, kind: true, firstName: true, lastName: true } },
      contract: { select: { number: true, debtorName: true } },
      retry: { select: { id: true } },
    },
  });
  if (!payment) throw notFound('Rejet');
  if (!payment.retry) throw conflict('Ce rejet est en cours de traitement : réessayez dans un instant');
  if (!payment.client.email) throw badRequest('Ce client n’a pas d’adresse e-mail', { paymentId: ['Ce client n’a pas d’adresse e-mail'] });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, contactEmail: true } });
  const today = parisToday(now);
  const category: ReasonCategory = payment.reasonCategory ?? 'unknown';
  const reason = sepaReasonOf(payment.reasonCode)?.labelFr ?? REASON_CATEGORY_LABELS[category];
  const person = payment.client.kind === 'person' ? [payment.client.firstName, payment.client.lastName].filter(Boolean).join(' ') : null;
  await queueTenantMail(tx, tenantId, {
    recipient: payment.client.email,
    clientId: payment.client.id,
    template: 'payment.bank_details_request',
    subject: payment.contract ? `Nouvelles coordonnées bancaires – contrat ${payment.contract.number}` : 'Nouvelles coordonnées bancaires',
    idempotencyKey: `payment.bank_details_request:${payment.id}:${today}`,
    createdBy: actor.userId,
    ...mailBodies([
      greeting(payment.contract?.debtorName ?? person),
      `Le prélèvement de ${euros(payment.amountCents)} du ${frenchDate(payment.valueDate.toISOString().slice(0, 10))}${payment.contract ? ` (contrat ${payment.contract.number})` : ''} a été rejeté par votre banque. Motif : ${reason}.`,
      'Afin de pouvoir le présenter à nouveau, merci de nous communiquer les coordonnées du compte à débiter (IBAN et BIC, par exemple un relevé d’identité bancaire), en répondant à ce message.',
      'Bien cordialement,',
      signature(organisation),
    ]),
  });
  await tx.paymentRetry.update({ where: { id: payment.retry.id }, data: { bankDetailsRequestedAt: now } });
  await auditAs(tx, actor, { action: 'retry.bank_details_requested', entityType: 'payment', entityId: payment.id });
  return getReject(deps, input);
}

import { auditAs } from '../audit/record-audit.ts';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import type { TenantDeps } from '../shared/context.ts';
import { assertOrganisationWideView } from '../shared/view-scope.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { isResendable, MAIL_STATUS_LABELS, toMailLogView } from './mail-log.ts';
import type { TMailIdInput } from './mail-log.schema.ts';

/**
 * "Renvoyer": a failed mail, or one that may not have left (uncertain), queued again as a new
 * outgoing effect (its own idempotency key, `resend:<original>:<n>`, naming the original), with
 * the same recipient, content and attachments. Once per failure: refused while an earlier resend
 * of it is on its way or sent. Audited.
 */
export async function resendMail({ tx, actor }: TenantDeps, input: TMailIdInput) {
  await assertOrganisationWideView(tx);
  const original = await tx.outgoingEffect.findFirst({ where: { id: input.mailId, tenantId: actor.tenantId, kind: 'email' } });
  if (!original) throw notFound('Courriel');
  if (!isResendable(original.status)) {
    throw conflict(`Ce courriel ne peut pas être renvoyé : son statut est « ${MAIL_STATUS_LABELS[original.status === 'sending' ? 'queued' : original.status]} »`);
  }
  const earlier = await tx.outgoingEffect.findMany({ where: { tenantId: actor.tenantId, resentFrom: original.id }, select: { status: true } });
  if (earlier.some((r) => !isResendable(r.status))) throw conflict('Ce courriel a déjà été renvoyé');
  const idempotencyKey = `resend:${original.id}:${earlier.length + 1}`;
  await queueTenantMail(tx, actor.tenantId, {
    recipient: original.recipient,
    template: original.template,
    subject: original.subject,
    textBody: original.textBody,
    htmlBody: original.htmlBody,
    idempotencyKey,
    createdBy: actor.userId,
    clientId: original.clientId,
    attachmentDocumentIds: original.attachments,
    resentFrom: original.id,
  });
  const resent = await tx.outgoingEffect.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId: actor.tenantId, idempotencyKey } } });
  await auditAs(tx, actor, { action: 'mail.resent', entityType: 'outgoing_effect', entityId: resent.id, data: { resentFrom: original.id, status: original.status } });
  return toMailLogView(resent);
}

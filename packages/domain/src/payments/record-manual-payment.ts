import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { parisToday } from './dates.ts';
import type { TRecordManualPaymentInput } from './payments.schema.ts';
import { settleItem } from './record-payment.ts';
import { toPaymentView } from './list-payments.ts';

/**
 * A transfer, card payment or cheque received for a schedule item: the item is paid. Only an
 * item no bank holds can be paid so (planned, or rejected by the bank); a batched or submitted
 * debit waits for the bank's answer.
 */
export async function recordManualPayment({ tx, actor, now }: TenantDeps, input: TRecordManualPaymentInput) {
  const item = await tx.scheduleItem.findFirst({ where: { id: input.scheduleItemId, tenantId: actor.tenantId } });
  if (!item) throw notFound('Échéance');
  if (item.status !== 'planned' && item.status !== 'rejected') {
    const why: Record<string, string> = {
      batched: 'Échéance dans un lot de prélèvement : annulez le lot d’abord',
      submitted: 'Prélèvement remis à la banque : attendez son retour',
      paid: 'Échéance déjà payée',
      cancelled: 'Échéance annulée',
    };
    throw conflict(why[item.status] ?? 'Échéance non payable');
  }
  if (input.receivedOn > parisToday(now)) throw badRequest('Date dans le futur', { receivedOn: ['La date de réception ne peut pas être dans le futur'] });
  const payment = await settleItem(tx, actor.tenantId, item, {
    kind: 'received',
    method: input.method,
    on: input.receivedOn,
    reference: input.reference ?? null,
    createdBy: actor.userId,
  }, [item.status]);
  await auditAs(tx, actor, { action: 'payment.recorded', entityType: 'payment', entityId: payment.id, data: { scheduleItemId: item.id, method: input.method } });
  const row = await tx.payment.findFirstOrThrow({ where: { id: payment.id, tenantId: actor.tenantId }, include: { client: { select: { displayName: true } }, contract: { select: { number: true } } } });
  return toPaymentView(row);
}

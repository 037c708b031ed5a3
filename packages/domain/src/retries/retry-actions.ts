import { newId, type Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { emitEvent } from '../events/emit-event.ts';
import { BANK_CUT_OFF_BUSINESS_DAYS } from '../payments/batch-selection.ts';
import { dateOf, parisToday } from '../payments/dates.ts';
import type { TenantDeps } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { getReject } from './list-rejects.ts';
import { loadRejections, representationRows, retrySettingsOf, unrecoveredEvent } from './retry-on-event.ts';
import { manualRepresentationRefusal, rejectFeeCents, representationDate } from './retry-rules.ts';
import type { TRejectIdInput } from './retries.schema.ts';

// What a person may do with a rejection from the rejects queue: present it again at the earliest
// possible date, or stop (dunning takes it). Asking the debtor for new bank details is a mail
// (client-mail/request-bank-details.ts); changing them is the mandate's amendment.

async function lockedRejection(tx: Tx, tenantId: string, paymentId: string) {
  await tx.$queryRaw`SELECT id FROM payments WHERE tenant_id = ${tenantId}::uuid AND id = ${paymentId}::uuid FOR UPDATE`;
  const [rejection] = await loadRejections(tx, tenantId, [paymentId]);
  if (!rejection?.scheduleItem) throw notFound('Rejet');
  const retry = await tx.paymentRetry.findUnique({ where: { tenantId_paymentId: { tenantId, paymentId } }, include: { representedItem: true } });
  return { rejection, retry };
}

/**
 * Presents a rejected debit again at the earliest date the notice and the bank's cut-off allow
 * (no payday): a planned re-presentation is brought forward (its fee with it); a rejection handed
 * to dunning, or not decided yet, gets one if the rules allow it (insufficient funds, or new bank
 * details given since; attempts left; mandate active). Already at the bank: CONFLICT.
 */
export async function representNow(deps: TenantDeps, input: TRejectIdInput) {
  const { tx, actor, now } = deps;
  const tenantId = actor.tenantId;
  const { rejection, retry } = await lockedRejection(tx, tenantId, input.paymentId);
  const settings = await retrySettingsOf(tx, tenantId);
  const item = rejection.scheduleItem!;
  const lead = { preNotificationDays: item.contract.preNotificationDays ?? settings.preNotificationDays, cutOffBusinessDays: BANK_CUT_OFF_BUSINESS_DAYS };
  const date = representationDate(parisToday(now), lead, 'earliest');

  if (retry?.decision === 'represent' && retry.representedItem && retry.representedItem.status !== 'cancelled') {
    if (retry.representedItem.status !== 'planned') throw conflict('La nouvelle présentation est déjà remise à la banque');
    const ids = [retry.representedItemId!, ...(retry.feeItemId ? [retry.feeItemId] : [])];
    await tx.scheduleItem.updateMany({ where: { tenantId, id: { in: ids }, status: 'planned' }, data: { dueDate: dateOf(date) } });
    await tx.paymentRetry.update({ where: { id: retry.id }, data: { collectionDate: dateOf(date) } });
  } else {
    const mandate = item.mandateId ? await tx.sepaMandate.findFirst({ where: { tenantId, id: item.mandateId }, select: { originalIban: true } }) : null;
    const refusal = manualRepresentationRefusal(
      { reasonCode: rejection.reasonCode, rTransaction: rejection.rTransaction, attempt: item.attempt, kind: item.kind, mandateActive: item.mandate?.status === 'active' },
      settings,
      mandate?.originalIban != null,
    );
    if (refusal) throw conflict(refusal);
    const rows = representationRows(tenantId, rejection, item.attempt + 1, date, rejectFeeCents(item.contract.rejectFeeCents, settings.rejectFeeEnabled));
    await tx.scheduleItem.createMany({ data: [rows.represented, ...(rows.fee ? [rows.fee] : [])] });
    if (rows.links.length > 0) await tx.invoiceScheduleItem.createMany({ data: rows.links });
    const decided = { decision: 'represent', why: null, representedItemId: rows.represented.id, feeItemId: rows.fee?.id ?? null, collectionDate: dateOf(date), decidedBy: actor.userId };
    if (retry) await tx.paymentRetry.update({ where: { id: retry.id }, data: decided });
    else {
      await tx.paymentRetry.create({
        data: { id: newId(), tenantId, paymentId: rejection.id, scheduleItemId: item.id, clientId: item.clientId, contractId: item.contractId, attempt: item.attempt, ...decided },
      });
    }
    await emitEvent(tx, {
      type: 'payment.represented',
      tenantId,
      payload: {
        paymentId: rows.represented.id,
        originalPaymentId: rejection.id,
        clientId: item.clientId,
        contractId: item.contractId,
        amountCents: rejection.amountCents,
        attempt: item.attempt + 1,
        collectionDate: date,
      },
    });
  }
  await auditAs(tx, actor, { action: 'retry.represented_now', entityType: 'payment', entityId: rejection.id, data: { collectionDate: date } });
  return getReject(deps, input);
}

/**
 * Stops a rejection's re-presentation: the planned one (and its fee) is cancelled, or a
 * rejection not decided yet is decided so; `payment.unrecovered` (why `stopped`) hands it to
 * dunning. Already at the bank, or already with dunning: CONFLICT.
 */
export async function stopRetry(deps: TenantDeps, input: TRejectIdInput) {
  const { tx, actor } = deps;
  const tenantId = actor.tenantId;
  const { rejection, retry } = await lockedRejection(tx, tenantId, input.paymentId);
  const item = rejection.scheduleItem!;
  if (retry?.decision === 'unrecovered') throw conflict('Ce rejet est déjà transmis à la relance');
  if (retry?.representedItem) {
    if (retry.representedItem.status !== 'planned') throw conflict('La nouvelle présentation est déjà remise à la banque');
    const ids = [retry.representedItemId!, ...(retry.feeItemId ? [retry.feeItemId] : [])];
    await tx.scheduleItem.updateMany({ where: { tenantId, id: { in: ids }, status: 'planned' }, data: { status: 'cancelled' } });
  }
  const decided = { decision: 'unrecovered', why: 'stopped', collectionDate: null, decidedBy: actor.userId };
  if (retry) await tx.paymentRetry.update({ where: { id: retry.id }, data: decided });
  else {
    await tx.paymentRetry.create({
      data: { id: newId(), tenantId, paymentId: rejection.id, scheduleItemId: item.id, clientId: item.clientId, contractId: item.contractId, attempt: item.attempt, ...decided },
    });
  }
  const event = unrecoveredEvent(tenantId, { ...rejection, scheduleItem: item }, 'stopped');
  await emitEvent(tx, event);
  await auditAs(tx, actor, { action: 'retry.stopped', entityType: 'payment', entityId: rejection.id, data: { attempt: item.attempt } });
  return getReject(deps, input);
}

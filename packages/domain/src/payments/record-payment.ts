import type { Tx } from '@crm/db';
import { emitEvent } from '../events/emit-event.ts';
import { conflict } from '../shared/errors.ts';
import type { ReasonCategory, RTransactionKind } from '../sepa/sepa-reason-codes.ts';
import { dateOf } from './dates.ts';

type PaymentMethod = 'sepa_debit' | 'transfer' | 'card' | 'cheque';

/** A debit the bank did not pay, or took back: the code as it sent it (null when none), what it means, and when it came. */
export interface Rejection {
  kind: 'rejected';
  reasonCode: string | null;
  reasonCategory: ReasonCategory;
  rTransaction: RTransactionKind;
  on: string;
  returnFileId?: string | null;
  createdBy?: string | null;
}

interface ItemRef {
  id: string;
  contractId: string;
  clientId: string;
  amountCents: number;
  /** Which presentation of the debt the item is (1 unless a re-presentation); payment.rejected carries it. */
  attempt?: number;
}

type ItemStatus = 'planned' | 'batched' | 'submitted' | 'paid' | 'rejected' | 'cancelled';

/**
 * Settles a schedule item one way or the other: the item's status, a Payment row and the
 * event (payment.received or payment.rejected), all in the caller's transaction. `from`: the
 * statuses the caller read the item in; if another transaction changed it since, nothing is
 * written and CONFLICT is thrown (a debit is never settled or rejected twice by two imports, a
 * payment recorded twice...).
 */
export async function settleItem(
  tx: Tx,
  tenantId: string,
  item: ItemRef,
  outcome:
    | { kind: 'received'; method: PaymentMethod; on: string; reference?: string | null; returnFileId?: string | null; createdBy?: string | null }
    | Rejection,
  from: readonly ItemStatus[],
) {
  const updated = await tx.scheduleItem.updateMany({
    where: { id: item.id, tenantId, status: { in: [...from] } },
    data: { status: outcome.kind === 'received' ? 'paid' : 'rejected' },
  });
  if (updated.count === 0) throw conflict('Cette échéance vient de changer : rechargez et recommencez');
  const payment = await tx.payment.create({
    data: {
      tenantId,
      scheduleItemId: item.id,
      contractId: item.contractId,
      clientId: item.clientId,
      outcome: outcome.kind,
      method: outcome.kind === 'received' ? outcome.method : 'sepa_debit',
      amountCents: item.amountCents,
      valueDate: dateOf(outcome.on),
      reasonCode: outcome.kind === 'rejected' ? outcome.reasonCode : null,
      reasonCategory: outcome.kind === 'rejected' ? outcome.reasonCategory : null,
      rTransaction: outcome.kind === 'rejected' ? outcome.rTransaction : null,
      reference: outcome.kind === 'received' ? (outcome.reference ?? null) : null,
      returnFileId: outcome.returnFileId ?? null,
      createdBy: outcome.createdBy ?? null,
    },
  });
  if (outcome.kind === 'received') {
    await emitEvent(tx, {
      type: 'payment.received',
      tenantId,
      payload: { paymentId: payment.id, clientId: item.clientId, contractId: item.contractId, amountCents: item.amountCents, receivedOn: outcome.on, method: outcome.method },
    });
  } else {
    await emitEvent(tx, {
      type: 'payment.rejected',
      tenantId,
      payload: {
        paymentId: payment.id,
        clientId: item.clientId,
        contractId: item.contractId,
        amountCents: item.amountCents,
        reasonCode: outcome.reasonCode,
        reasonCategory: outcome.reasonCategory,
        rTransaction: outcome.rTransaction,
        rejectedOn: outcome.on,
        attempt: item.attempt ?? 1,
      },
    });
  }
  return payment;
}

import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import { cancelItemsAfter, cancelPlannedItems, createContractSchedule } from './create-schedule.ts';
import { isoOf } from './dates.ts';

/**
 * The payments consumer: a signed contract gets its mandate and schedule; a terminated one
 * loses its planned items after its end date; a cancelled one all its planned items. Runs in
 * the consumer's exactly-once transaction (handleEventsOnce), and each effect is also safe to
 * repeat on its own.
 */
export async function paymentsOnEvent(tx: Tx, event: EventEnvelope): Promise<void> {
  const contractId = (event.payload as { contractId?: string }).contractId;
  if (!contractId) return;
  switch (event.type) {
    case 'contract.signed':
      await createContractSchedule(tx, event.tenantId, contractId);
      return;
    case 'contract.terminated': {
      const contract = await tx.contract.findFirst({ where: { id: contractId, tenantId: event.tenantId }, select: { endDate: true } });
      const { endDate } = event.payload as EventEnvelope<'contract.terminated'>['payload'];
      await cancelItemsAfter(tx, event.tenantId, contractId, contract?.endDate ? isoOf(contract.endDate) : endDate);
      return;
    }
    case 'contract.cancelled':
      await cancelPlannedItems(tx, event.tenantId, contractId);
      return;
    default:
      return;
  }
}

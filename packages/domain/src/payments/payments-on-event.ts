import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import { scheduleJob } from '../jobs/schedule-job.ts';
import { endScheduleAt, rescheduleHeldItems } from './adjust-schedule.ts';
import { cancelPlannedItems, createContractSchedule } from './create-schedule.ts';
import { isoOf, parisToday } from './dates.ts';
import { PRE_NOTIFICATION_JOB_KIND } from './pre-notification.ts';

/** The contract's debits get their notices now (the first one at once), not at the next daily run. */
const schedulePreNotifications = (tx: Tx, contractId: string, event: EventEnvelope) =>
  scheduleJob(tx, { kind: PRE_NOTIFICATION_JOB_KIND, key: `contract:${contractId}`, runAt: new Date(event.occurredAt), payload: { contractId } });

/**
 * The payments consumer: a signed contract gets its mandate and schedule; a resumed one gets
 * new due dates for the debits its suspension held back; a terminated one loses its planned
 * items after its end date and has the item of the period it ends in prorated; a cancelled one
 * loses all its planned items. Runs in the consumer's exactly-once transaction
 * (handleEventsOnce), and each effect is also safe to repeat on its own.
 */
export async function paymentsOnEvent(tx: Tx, event: EventEnvelope): Promise<void> {
  const contractId = (event.payload as { contractId?: string }).contractId;
  if (!contractId) return;
  switch (event.type) {
    case 'contract.signed':
      await createContractSchedule(tx, event.tenantId, contractId);
      await schedulePreNotifications(tx, contractId, event);
      return;
    case 'contract.activated':
      // The day of the resumption, not of handling: a late or replayed event moves items the same way.
      if ((event.payload as EventEnvelope<'contract.activated'>['payload']).resumed) {
        await rescheduleHeldItems(tx, event.tenantId, contractId, parisToday(new Date(event.occurredAt)));
        await schedulePreNotifications(tx, contractId, event);
      }
      return;
    case 'contract.terminated': {
      const contract = await tx.contract.findFirst({ where: { id: contractId, tenantId: event.tenantId }, select: { endDate: true } });
      const { endDate } = event.payload as EventEnvelope<'contract.terminated'>['payload'];
      await endScheduleAt(tx, event.tenantId, contractId, contract?.endDate ? isoOf(contract.endDate) : endDate);
      return;
    }
    case 'contract.cancelled':
      await cancelPlannedItems(tx, event.tenantId, contractId);
      return;
    default:
      return;
  }
}

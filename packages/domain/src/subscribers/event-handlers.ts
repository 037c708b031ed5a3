import { projectEventOnDashboard } from '../dashboard/project-event.ts';
import { notifyOnEvent } from '../notifications/notify-on-event.ts';
import { invoicesOnEvent } from '../invoices/settle-invoice.ts';
import { paymentsOnEvent } from '../payments/payments-on-event.ts';
import type { EventHandler } from '../events/event-handler.ts';

/**
 * Who reacts to which event: the one place where the event backbone (events/) meets the domains
 * that subscribe to it, so that events/ imports no domain and every domain may emit events.
 * Each consumer group gets one durable JetStream consumer (or one in-process queue) and records
 * every event it handled, so each group handles each event once. Later issues add email, retry,
 * dunning, commission and documents.
 */
export const CONSUMER_GROUPS = ['notifications', 'dashboard', 'payments', 'invoices'] as const;
export type ConsumerGroup = (typeof CONSUMER_GROUPS)[number];

export const EVENT_HANDLERS: readonly EventHandler[] = [
  {
    consumer: 'notifications',
    types: ['member.joined', 'member.role_changed', 'activity.assigned'],
    handle: notifyOnEvent,
  },
  {
    consumer: 'dashboard',
    types: ['client.created', 'contract.signed', 'invoice.created', 'payment.received', 'payment.rejected'],
    handle: projectEventOnDashboard,
  },
  {
    consumer: 'payments',
    types: ['contract.signed', 'contract.activated', 'contract.terminated', 'contract.cancelled'],
    handle: paymentsOnEvent,
  },
  {
    // Payments settle the invoices that bill their schedule items.
    consumer: 'invoices',
    types: ['payment.received', 'payment.rejected'],
    handle: invoicesOnEvent,
  },
];

export function handlerOf(consumer: string): EventHandler | undefined {
  return EVENT_HANDLERS.find((handler) => handler.consumer === consumer);
}

import { mailClientOnEvent } from '../client-mail/client-mail-on-event.ts';
import { commissionsOnEvent } from '../commissions/commissions-on-event.ts';
import { storeSignedContractOnEvent } from '../contracts/store-signed-contract.ts';
import { projectEventOnDashboard } from '../dashboard/project-event.ts';
import { dunningOnEvent } from '../dunning/dunning-on-event.ts';
import { notifyOnEvent } from '../notifications/notify-on-event.ts';
import { invoicesOnEvent } from '../invoices/settle-invoice.ts';
import { paymentsOnEvent } from '../payments/payments-on-event.ts';
import { retryOnEvent, retryOnEvents } from '../retries/retry-on-event.ts';
import type { EventHandler } from '../events/event-handler.ts';

/**
 * Who reacts to which event: the one place where the event backbone (events/) meets the domains
 * that subscribe to it, so that events/ imports no domain and every domain may emit events.
 * Each consumer group gets one durable JetStream consumer (or one in-process queue) and records
 * every event it handled, so each group handles each event once. ARCHITECTURE.md keeps the same
 * table ("Consumer groups"), and a test compares the two. Later issues add retry and commission.
 */
export const CONSUMER_GROUPS = ['notifications', 'dashboard', 'payments', 'invoices', 'email', 'documents', 'retries', 'commissions', 'dunning'] as const;
export type ConsumerGroup = (typeof CONSUMER_GROUPS)[number];

export const EVENT_HANDLERS: readonly EventHandler[] = [
  {
    consumer: 'notifications',
    types: ['member.joined', 'member.role_changed', 'activity.assigned', 'client.created', 'contract.signed', 'payment.received', 'payment.rejected'],
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
  {
    consumer: 'email',
    types: ['client.created', 'invoice.created', 'contract.signed', 'payment.rejected'],
    handle: mailClientOnEvent,
  },
  {
    consumer: 'documents',
    types: ['contract.signed'],
    handle: storeSignedContractOnEvent,
  },
  {
    // Rejected debits: re-presented on a payday (AM04, MS03 per setting) or handed to dunning.
    consumer: 'retries',
    types: ['payment.rejected'],
    handle: retryOnEvent,
    handleMany: retryOnEvents,
  },
  {
    // Commission lines from contracts and payments; clawback on payment.unrecovered, never on a reject alone.
    consumer: 'commissions',
    types: ['payment.received', 'payment.rejected', 'payment.unrecovered', 'contract.signed', 'contract.activated', 'contract.terminated', 'contract.cancelled'],
    handle: commissionsOnEvent,
  },
  {
    // Cases open on unrecovered debits and late invoices, settle on payments, follow new prospects.
    consumer: 'dunning',
    types: ['client.created', 'invoice.created', 'invoice.paid', 'credit_note.created', 'payment.received', 'payment.unrecovered'],
    handle: dunningOnEvent,
  },
];

export function handlerOf(consumer: string): EventHandler | undefined {
  return EVENT_HANDLERS.find((handler) => handler.consumer === consumer);
}

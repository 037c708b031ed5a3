import type { Tx } from '@crm/db';
import { projectEventOnDashboard } from '../dashboard/project-event.ts';
import { notifyOnEvent } from '../notifications/notify-on-event.ts';
import { paymentsOnEvent } from '../payments/payments-on-event.ts';
import type { EventEnvelope, EventType } from './catalogue.ts';
import type { HandlerDeps } from './handler-deps.ts';

/**
 * Who reacts to which event. Each consumer group gets one durable JetStream consumer (or one
 * in-process queue) and records every event it handled, so each group handles each event once.
 * Only groups that do real work are here; later issues add payments, email, retry, dunning,
 * commission and documents.
 */
export interface EventHandler {
  /** The consumer group's name: one of CONSUMER_GROUPS in production. */
  consumer: string;
  types: readonly EventType[];
  /** Runs in the exactly-once transaction; `deps` as use cases get theirs (handler-deps.ts). */
  handle(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void>;
}

export const CONSUMER_GROUPS = ['notifications', 'dashboard', 'payments'] as const;
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
];

export function handlerOf(consumer: string): EventHandler | undefined {
  return EVENT_HANDLERS.find((handler) => handler.consumer === consumer);
}

/** A failure that retrying cannot fix (bad data, a rule refused): dead-lettered at once. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

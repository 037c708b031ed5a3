import type { Tx } from '@crm/db';
import type { EventEnvelope, EventType } from './catalogue.ts';
import type { HandlerDeps } from './handler-deps.ts';

/** A consumer group's handler: which events it takes and what it does with each (subscribers/ lists them). */
export interface EventHandler {
  /** The consumer group's name: one of CONSUMER_GROUPS in production. */
  consumer: string;
  types: readonly EventType[];
  /** Runs in the exactly-once transaction; `deps` as use cases get theirs (handler-deps.ts). */
  handle(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void>;
  /**
   * Optional: several events of one tenant at once, in order, with the same outcome as `handle`
   * on each (a consumer whose per-event statements would dominate a burst, such as a return
   * file's thousands of rejections, decides them in a few statements).
   */
  handleMany?(tx: Tx, events: EventEnvelope[], deps: HandlerDeps): Promise<void>;
}

/** A failure that retrying cannot fix (bad data, a rule refused): dead-lettered at once. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

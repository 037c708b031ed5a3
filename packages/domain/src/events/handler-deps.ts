import type { Tx } from '@crm/db';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { queueTenantMail, type TenantMailInput } from '../effects/tenant-effects.ts';
import type { Clock } from '../shared/clock.ts';
import type { EventEnvelope } from './catalogue.ts';

/**
 * Who acts when a handler changes data: no person, the worker for one tenant and one consumer
 * group. A type of its own, not an `Actor` without a member: a use case that needs a member
 * cannot be handed one by mistake. Audit rows name it `system:<consumer>`.
 */
export interface SystemActor {
  kind: 'system';
  tenantId: string;
  /** `system:<consumer group>`, what audit entries and effects record as their author. */
  name: string;
}

/**
 * What an event handler gets beside its transaction, as use cases get their deps: the clock, the
 * tenant's calendar (its time zone, Europe/Paris unless the organisation has another, and the
 * day it is there), the acting identity, document storage, and the outgoing effects queue.
 * Effects queued here are recorded in the handler's transaction and sent after it commits
 * (effects/tenant-effects.ts): a rollback sends nothing.
 */
export interface HandlerDeps {
  now: Date;
  timeZone: string;
  /** The calendar day of `now` in `timeZone`, `YYYY-MM-DD`. */
  today: string;
  actor: SystemActor;
  storage: DocumentStorage;
  /** Records a mail to send once the handler's transaction commits (one per idempotency key). */
  queueMail: (mail: TenantMailInput) => Promise<void>;
}

/** Builds a handler's deps inside its transaction (the tenant's time zone is read there). */
export type HandlerDepsFactory = (tx: Tx, tenantId: string, consumer: string) => Promise<HandlerDeps>;

/** A handler with its dependencies bound: what the transports run, `(tx, event)`. */
export interface BoundEventHandler {
  consumer: string;
  types: readonly EventEnvelope['type'][];
  handle(tx: Tx, event: EventEnvelope): Promise<void>;
  /** Several events of one tenant in one call, when the handler can (event-handler.ts). */
  handleMany?(tx: Tx, events: EventEnvelope[]): Promise<void>;
}

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `instant` in `timeZone` (`YYYY-MM-DD`); an unknown zone counts as Paris. */
export function dayIn(timeZone: string, instant: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return dayIn(DEFAULT_TIME_ZONE, instant);
    }
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Storage that refuses: for a process that has none configured (it fails loudly, never silently). */
export const NO_DOCUMENT_STORAGE: DocumentStorage = {
  put: () => Promise.reject(new Error('document storage is not configured in this process')),
  get: () => Promise.reject(new Error('document storage is not configured in this process')),
  delete: () => Promise.reject(new Error('document storage is not configured in this process')),
};

/**
 * The worker's factory of handler deps. Time zones are read from the organisation and kept a
 * minute per tenant (events come in bursts; a zone changes rarely), so the hot path does not pay
 * a query per event.
 */
export function handlerDepsFactory(options: { storage: DocumentStorage; clock: Clock; zoneCacheMs?: number }): HandlerDepsFactory {
  const zones = new Map<string, { zone: string; until: number }>();
  const cacheMs = options.zoneCacheMs ?? 60_000;
  return async (tx, tenantId, consumer) => {
    const now = options.clock();
    let cached = zones.get(tenantId);
    if (!cached || cached.until < now.getTime()) {
      const organisation = await tx.organisation.findUnique({ where: { id: tenantId }, select: { timezone: true } });
      cached = { zone: organisation?.timezone || DEFAULT_TIME_ZONE, until: now.getTime() + cacheMs };
      zones.set(tenantId, cached);
    }
    return {
      now,
      timeZone: cached.zone,
      today: dayIn(cached.zone, now),
      actor: { kind: 'system', tenantId, name: `system:${consumer}` },
      storage: options.storage,
      queueMail: (mail) => queueTenantMail(tx, tenantId, { ...mail, createdBy: mail.createdBy ?? `system:${consumer}` }),
    };
  };
}

/** Binds `depsFor` to a handler: what the worker hands to its transports. */
export function bindHandlerDeps(
  handler: {
    consumer: string;
    types: readonly EventEnvelope['type'][];
    handle(tx: Tx, event: EventEnvelope, deps: HandlerDeps): Promise<void>;
    handleMany?(tx: Tx, events: EventEnvelope[], deps: HandlerDeps): Promise<void>;
  },
  depsFor: HandlerDepsFactory,
): BoundEventHandler {
  return {
    consumer: handler.consumer,
    types: handler.types,
    handle: async (tx, event) => handler.handle(tx, event, await depsFor(tx, event.tenantId, handler.consumer)),
    ...(handler.handleMany
      ? {
          handleMany: async (tx: Tx, events: EventEnvelope[]) => {
            const deps = await depsFor(tx, events[0]!.tenantId, handler.consumer);
            await handler.handleMany?.(tx, events, deps);
          },
        }
      : {}),
  };
}

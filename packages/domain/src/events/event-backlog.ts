import { withSystem, type Db } from '@crm/db';

/** The event backbone's queues across every tenant, as numbers only (for metrics). */
export interface EventBacklog {
  /** Outbox events not yet published by the relay. */
  unpublished: number;
  /** Age in seconds of the oldest unpublished event; 0 when there is none. */
  oldestUnpublishedSeconds: number;
  /** Dead letters not replayed yet. */
  deadLetters: number;
}

/**
 * Counts across all tenants, hence `withSystem`: aggregates only, no tenant id, row or payload
 * leaves this function. Uses the (published_at, occurred_at) index of outbox_events.
 */
export async function readEventBacklog(db: Db): Promise<EventBacklog> {
  const [row] = await withSystem(db, (tx) =>
    tx.$queryRaw<{ unpublished: bigint; oldest: number | null; dead: bigint }[]>`
      SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL) AS unpublished,
             (SELECT extract(epoch FROM now() - min(occurred_at))::float8 FROM outbox_events WHERE published_at IS NULL) AS oldest,
             (SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL) AS dead`,
  );
  return {
    unpublished: Number(row?.unpublished ?? 0),
    oldestUnpublishedSeconds: Math.max(0, row?.oldest ?? 0),
    deadLetters: Number(row?.dead ?? 0),
  };
}

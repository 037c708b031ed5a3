import { withSystem, type Db } from '@crm/db';

/**
 * Deletes published outbox rows older than `retentionDays`, but never an event about a client:
 * those are the client's history (timeline, GDPR export, rewritten by anonymisation), which
 * must outlive the relay's need for them. Across tenants, hence `withSystem`.
 */
export async function pruneOutbox(db: Db, retentionDays: number): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('pruneOutbox: retentionDays must be a positive integer');
  return withSystem(db, (tx) =>
    tx.$executeRaw`DELETE FROM outbox_events
                   WHERE published_at < now() - make_interval(days => ${retentionDays}) AND client_id IS NULL`,
  );
}

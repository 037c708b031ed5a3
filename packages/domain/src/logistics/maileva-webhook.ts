import { withSystem, withTenant, type Db } from '@crm/db';
import { z } from 'zod';
import type { DocumentStorage } from '../documents/document-storage.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest } from '../shared/errors.ts';
import type { MailevaClient } from '../maileva/maileva-client.ts';
import { refreshLetter } from './refresh-letter.ts';

/**
 * A notification of Maileva's notification center (ON_STATUS_ACCEPTED, ON_STATUS_PROCESSED,
 * ON_DEPOSIT_PROOF_RECEIVED, ON_ACKNOWLEDGEMENT_OF_RECEIPT_RECEIVED, ON_STATUS_ARCHIVED...): it
 * names a resource and says nothing of its status, so only the resource id is trusted, and the
 * state is read back from Maileva itself. Unknown fields are ignored (the payload may grow).
 */
export const ZMailevaNotification = z.looseObject({
  resource_id: z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'identifiant de ressource invalide'),
  resource_type: z.string().max(100).optional(),
  resource_location: z.string().max(2000).optional(),
  event_type: z.string().max(100).optional(),
});

export interface MailevaWebhookDeps {
  db: Db;
  maileva: MailevaClient;
  storage: DocumentStorage;
  clock: Clock;
}

/**
 * Handles one notification: the letter is found by Maileva's sending id across tenants (the
 * callback carries no tenant: withSystem, for that lookup only), then refreshed in its tenant's
 * transaction. A resource on another host than the configured Maileva is refused (french-rules
 * §5: check the resource host); an unknown sending is acknowledged without effect (it is not
 * ours, or not recorded yet: the reconciliation job catches up). Idempotent: the same
 * notification twice reads the same state and stores nothing twice.
 */
export async function handleMailevaNotification(deps: MailevaWebhookDeps, body: unknown): Promise<{ letterId: string | null }> {
  const parsed = ZMailevaNotification.safeParse(body);
  if (!parsed.success) throw badRequest('Notification Maileva illisible', { resource_id: ['Identifiant de ressource absent ou invalide'] });
  const notification = parsed.data;
  if (notification.resource_location) {
    let origin: string | null;
    try {
      origin = new URL(notification.resource_location).origin;
    } catch {
      origin = null;
    }
    if (origin !== new URL(deps.maileva.config.apiUrl).origin) throw badRequest('Ressource hors de Maileva', { resource_location: ['Hôte inattendu'] });
  }
  const letter = await withSystem(deps.db, (tx) =>
    tx.letter.findFirst({ where: { sendingId: notification.resource_id }, select: { id: true, tenantId: true } }),
  );
  if (!letter) return { letterId: null };
  await withTenant(deps.db, letter.tenantId, (tx) => refreshLetter({ tx, tenantId: letter.tenantId, now: deps.clock(), maileva: deps.maileva, storage: deps.storage }, letter.id));
  return { letterId: letter.id };
}

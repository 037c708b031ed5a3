import { Prisma, type Tx } from '@crm/db';
import type { OutgoingMail } from './transports.ts';

/**
 * The two queues one delivery engine serves (ARCHITECTURE.md, "Outgoing effects"): system mail
 * (global: a person's account mail) and the tenants' outgoing effects (under RLS, reached here
 * only through withSystem). Same delivery columns, the same statements; only the message differs.
 */
export const EFFECT_QUEUES = ['system_mails', 'outgoing_effects'] as const;
export type EffectQueueName = (typeof EFFECT_QUEUES)[number];

export interface ClaimedEffect {
  queue: EffectQueueName;
  id: string;
  attempts: number;
  /** The W3C traceparent of the span that queued it (null when tracing was off). */
  traceParent: string | null;
  mail: OutgoingMail;
  /** Stored documents to attach (tenant mail): where their bytes are, read just before the send. */
  attachments: readonly StoredAttachment[];
  /** The tenant of a tenant mail (null for system mail). */
  tenantId: string | null;
  /**
   * The connected account the tenant chose for its mail (organisations.mail_sender_connection_id
   * at claim time), or null: the system transport. The row's `transport` says which.
   */
  senderConnectionId: string | null;
  /** The transport recorded on the row at claim time (`capture`, `smtp`, `account:google`...). */
  transport: string;
}

export interface StoredAttachment {
  documentId: string;
  storageKey: string;
  fileName: string;
  mimeType: string;
}

export type EffectOutcome =
  | { id: string; status: 'sent'; messageId: string }
  | { id: string; status: 'queued'; error: string; delayMs: number }
  | { id: string; status: 'failed'; error: string };

// Both names come from EFFECT_QUEUES, never from input.
const table = (queue: EffectQueueName) => Prisma.raw(queue === 'system_mails' ? 'system_mails' : 'outgoing_effects');

/**
 * Rows whose lease ran out while 'sending' (their worker died or hung): on a transport that
 * deduplicates they are simply due again; otherwise they may have left, so they become
 * 'uncertain' (shown, resent only by a person).
 */
export async function reapExpiredLeases(tx: Tx, queue: EffectQueueName, idempotentTransports: string[]): Promise<number> {
  return tx.$executeRaw`
    UPDATE ${table(queue)}
    SET status = (CASE WHEN transport = ANY(${idempotentTransports}::text[]) THEN 'queued' ELSE 'uncertain' END)::effect_status,
        last_error = (CASE WHEN transport = ANY(${idempotentTransports}::text[]) THEN last_error ELSE 'lease expired while sending: it may have been sent' END),
        lease_until = NULL,
        updated_at = now()
    WHERE status = 'sending' AND lease_until < now()`;
}

// The organisation's chosen account for its mail (issue 15 §2), read in the claiming statement.
const senderConnectionOf = Prisma.sql`(SELECT o.mail_sender_connection_id FROM organisations o WHERE o.id = e.tenant_id)`;
const senderTransportOf = Prisma.sql`(SELECT 'account:' || mc.provider FROM organisations o
  JOIN mail_connections mc ON mc.tenant_id = o.id AND mc.id = o.mail_sender_connection_id WHERE o.id = e.tenant_id)`;

/** Claims up to `limit` due rows for this worker: 'sending' under a lease, one attempt more. */
export async function claimEffects(tx: Tx, queue: EffectQueueName, limit: number, leaseMs: number, transport: string): Promise<ClaimedEffect[]> {
  const rows = await tx.$queryRaw<{ id: string; tenant_id: string | null; recipient: string; subject: string; text_body: string; html_body: string | null; idempotency_key: string; attempts: number; trace_parent: string | null; attachments: string[]; transport: string; sender_connection_id: string | null }[]>`
    WITH due AS (
      SELECT id FROM ${table(queue)}
      WHERE status = 'queued' AND next_attempt_at <= now()
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE ${table(queue)} AS e
    SET status = 'sending', attempts = e.attempts + 1, lease_until = now() + ${leaseMs} * interval '1 millisecond',
        transport = ${queue === 'system_mails' ? Prisma.sql`${transport}` : Prisma.sql`COALESCE(${senderTransportOf}, ${transport})`}, updated_at = now()
    FROM due WHERE e.id = due.id
    RETURNING e.id, ${
      queue === 'system_mails'
        ? Prisma.sql`NULL::uuid AS tenant_id, NULL::text AS html_body, '{}'::uuid[] AS attachments, NULL::uuid AS sender_connection_id`
        : Prisma.sql`e.tenant_id, e.html_body, e.attachments, ${senderConnectionOf} AS sender_connection_id`
    },
              e.recipient, e.subject, e.text_body, e.idempotency_key, e.attempts, e.trace_parent, e.transport`;
  const documentIds = [...new Set(rows.flatMap((row) => row.attachments))];
  // Same tenant only: a row's attachments are documents of its own tenant.
  const documents =
    documentIds.length === 0
      ? []
      : await tx.$queryRaw<{ id: string; tenant_id: string; storage_key: string; file_name: string; mime_type: string }[]>`
          SELECT id, tenant_id, storage_key, file_name, mime_type FROM documents WHERE id = ANY(${documentIds}::uuid[])`;
  const attachmentsOf = (row: (typeof rows)[number]): StoredAttachment[] =>
    row.attachments.map((documentId) => {
      const document = documents.find((d) => d.id === documentId && d.tenant_id === row.tenant_id);
      // A document gone since the mail was queued: the send fails (and is retried, then given up), never sent without it.
      return document
        ? { documentId, storageKey: document.storage_key, fileName: document.file_name, mimeType: document.mime_type }
        : { documentId, storageKey: '', fileName: '', mimeType: '' };
    });
  return rows.map((row) => ({
    queue,
    id: row.id,
    tenantId: row.tenant_id,
    senderConnectionId: row.sender_connection_id,
    transport: row.transport,
    attempts: row.attempts,
    traceParent: row.trace_parent,
    attachments: attachmentsOf(row),
    mail: {
      // Unique across both queues and tenants: what the Message-ID and a deduplicating provider see.
      key: row.tenant_id ? `tenant:${row.tenant_id}:${row.idempotency_key}` : `system:${row.idempotency_key}`,
      to: row.recipient,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
    },
  }));
}

/**
 * Records the providers' answers for claimed rows in one statement. A row still 'sending' (or
 * already marked 'uncertain' by a reaper while its send was slow: we now know) takes its outcome;
 * a row a person or another worker has moved on is left alone.
 */
export async function recordOutcomes(tx: Tx, queue: EffectQueueName, outcomes: EffectOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const ids = outcomes.map((o) => o.id);
  const statuses = outcomes.map((o) => o.status);
  const messageIds = outcomes.map((o) => (o.status === 'sent' ? o.messageId : null));
  const errors = outcomes.map((o) => (o.status === 'sent' ? null : o.error.slice(0, 2000)));
  const delays = outcomes.map((o) => (o.status === 'queued' ? o.delayMs : 0));
  await tx.$executeRaw`
    UPDATE ${table(queue)} AS e
    SET status = r.status::effect_status,
        provider_message_id = COALESCE(r.message_id, e.provider_message_id),
        last_error = r.error,
        sent_at = CASE WHEN r.status = 'sent' THEN now() ELSE e.sent_at END,
        next_attempt_at = CASE WHEN r.status = 'queued' THEN now() + r.delay_ms * interval '1 millisecond' ELSE e.next_attempt_at END,
        lease_until = NULL,
        updated_at = now()
    FROM unnest(${ids}::uuid[], ${statuses}::text[], ${messageIds}::text[], ${errors}::text[], ${delays}::int[]) AS r(id, status, message_id, error, delay_ms)
    WHERE e.id = r.id AND e.status IN ('sending', 'uncertain')`;
}

export interface EffectQueueDepth {
  queue: EffectQueueName;
  status: string;
  count: number;
}

/** Rows per queue and status, and the age of the oldest due 'queued' row (seconds, 0 when none). */
export async function effectQueueStats(tx: Tx): Promise<{ depth: EffectQueueDepth[]; oldestQueuedSeconds: Record<EffectQueueName, number> }> {
  const depth: EffectQueueDepth[] = [];
  const oldestQueuedSeconds = { system_mails: 0, outgoing_effects: 0 };
  for (const queue of EFFECT_QUEUES) {
    const rows = await tx.$queryRaw<{ status: string; count: number; oldest: number | null }[]>`
      SELECT status::text AS status, count(*)::int AS count,
             extract(epoch FROM now() - min(created_at))::float8 AS oldest
      FROM ${table(queue)} GROUP BY status`;
    for (const row of rows) {
      depth.push({ queue, status: row.status, count: row.count });
      if (row.status === 'queued') oldestQueuedSeconds[queue] = Math.max(0, row.oldest ?? 0);
    }
  }
  return { depth, oldestQueuedSeconds };
}

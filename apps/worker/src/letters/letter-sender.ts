import { isDatabaseUnavailable, withSystem, type Db, type Tx } from '@crm/db';
import { deliverLetter, isPermanentLetterError, retryDelayMs, type DocumentStorage, type LetterToDeliver, type MailevaClient, type TLetterService } from '@crm/domain';
import type { Logger } from 'pino';
import type { Waker } from '../event-bus/relay.ts';

export interface LetterSenderOptions {
  db: Db;
  maileva: MailevaClient;
  storage: DocumentStorage;
  log: Logger;
  /** Wakes the sender on commit (LISTEN crm_effects: letters fire it too); without one it polls. */
  waker?: Waker | undefined;
  pollMs?: number;
  batchSize?: number;
  /** How long a claim holds; past it, the letter is due again and resumes from Maileva's state. */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  service: TLetterService;
  purpose: string;
  reference: string;
  attempts: number;
  sending_id: string | null;
  address_lines: (string | null)[];
  country_code: string;
  color_printing: boolean;
  duplex_printing: boolean;
  storage_key: string | null;
  file_name: string | null;
  org_name: string | null;
  org_line1: string | null;
  org_line2: string | null;
  org_postal_code: string | null;
  org_city: string | null;
}

type Outcome =
  | { id: string; status: 'submitted'; providerStatus: string | null; sheets: number | null }
  | { id: string; status: 'queued'; error: string; delayMs: number }
  | { id: string; status: 'failed'; error: string };

/**
 * The worker's letter sender: the letters written by `queueLetter` in the transactions that
 * decide them are posted through Maileva after the commit. Claims due rows across tenants
 * (withSystem, FOR UPDATE SKIP LOCKED, status 'sending' under a lease, one attempt more), posts
 * each (`deliverLetter`, which records Maileva's sending id as soon as it exists and resumes
 * from Maileva's own state), then records the answer: 'submitted', due again after a growing
 * delay (network, 5xx), or 'failed' (a check or a refusal, or `maxAttempts` reached) with a
 * French reason. A lease that runs out (the worker died mid-flow) makes the letter due again:
 * resuming is safe because every step is checked against Maileva first.
 */
export class LetterSender {
  submitted = 0;
  failed = 0;
  lastError: unknown = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private woken = false;

  constructor(private readonly options: LetterSenderOptions) {}

  start(): void {
    this.options.waker?.onNotify(() => {
      this.woken = true;
      this.wake?.();
    });
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** One round: requeue expired leases, claim, post, record. Returns the letters handled. */
  async drainOnce(): Promise<number> {
    const { db, batchSize = 10, leaseMs = 5 * 60_000 } = this.options;
    const claimed = await withSystem(db, async (tx) => {
      await requeueExpiredLeases(tx);
      return claimLetters(tx, batchSize, leaseMs, this.options.maileva.environment);
    });
    if (claimed.length === 0) return 0;
    const outcomes: Outcome[] = [];
    for (const row of claimed) outcomes.push(await this.postOne(row));
    await withSystem(db, (tx) => recordLetterOutcomes(tx, outcomes));
    return claimed.length;
  }

  private async postOne(row: ClaimedRow): Promise<Outcome> {
    const { db, maileva, storage, log, maxAttempts = 8, retryBaseMs = 60_000 } = this.options;
    const letter: LetterToDeliver = {
      id: row.id,
      service: row.service,
      purpose: row.purpose,
      reference: row.reference,
      attempts: row.attempts,
      sendingId: row.sending_id,
      addressLines: row.address_lines,
      countryCode: row.country_code,
      colorPrinting: row.color_printing,
      duplexPrinting: row.duplex_printing,
      fileName: row.file_name ?? 'courrier.pdf',
      sender: senderOf(row),
    };
    const record = (data: { sendingId?: string; recipientId?: string }) =>
      withSystem(db, (tx) => tx.$executeRaw`
        UPDATE letters SET sending_id = COALESCE(${data.sendingId ?? null}, sending_id), recipient_id = COALESCE(${data.recipientId ?? null}, recipient_id), updated_at = now()
        WHERE id = ${row.id}::uuid AND status = 'sending'`).then(() => undefined);
    try {
      if (!row.storage_key) throw new Error(`letter ${row.id}: its document is gone`);
      const delivered = await deliverLetter(maileva, letter, () => readAll(storage, row.storage_key!), {
        sendingCreated: (sendingId) => record({ sendingId }),
        recipientAdded: (recipientId) => record({ recipientId }),
      });
      this.submitted++;
      return { id: row.id, status: 'submitted', providerStatus: delivered.sending.status ?? null, sheets: delivered.sheets };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = isPermanentLetterError(error);
      const bindings = { letterId: row.id, attempt: row.attempts, permanent };
      if (!permanent && row.attempts < maxAttempts) {
        const delayMs = retryDelayMs(row.attempts, retryBaseMs);
        log.warn({ ...bindings, err: error, delayMs }, 'letter not posted, will retry');
        return { id: row.id, status: 'queued', error: message, delayMs };
      }
      this.failed++;
      log.error({ ...bindings, err: error }, 'letter not posted, given up');
      return { id: row.id, status: 'failed', error: message };
    }
  }

  private async run(): Promise<void> {
    const { log, pollMs = 2_000 } = this.options;
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      let handled = 0;
      try {
        handled = await this.drainOnce();
        failures = 0;
        this.lastError = null;
      } catch (error) {
        failures++;
        this.lastError = error;
        if (isDatabaseUnavailable(error)) log.warn({ err: error }, 'database unavailable, letter sender will retry');
        else log.error({ err: error }, 'letter sender round failed');
      }
      if (this.stopping) break;
      if (handled > 0 && failures === 0) continue;
      if (this.woken) continue;
      const delay = failures > 0 ? Math.min(200 * 2 ** failures, 5_000) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

function senderOf(row: ClaimedRow): LetterToDeliver['sender'] {
  if (!row.org_name || !row.org_postal_code || !row.org_city) return null;
  const cut = (s: string | null) => (s ? s.slice(0, 38) : null);
  return { lines: [cut(row.org_name), null, cut(row.org_line2), cut(row.org_line1), null, cut(`${row.org_postal_code} ${row.org_city.toUpperCase()}`)], countryCode: 'FR' };
}

async function readAll(storage: DocumentStorage, key: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Letters whose worker died mid-flow: due again (the flow resumes from Maileva's state). */
export function requeueExpiredLeases(tx: Tx): Promise<number> {
  return tx.$executeRaw`
    UPDATE letters SET status = 'queued', lease_until = NULL, next_attempt_at = now(),
      last_error = 'lease expired while posting: resumed from the steps Maileva recorded', updated_at = now()
    WHERE status = 'sending' AND lease_until < now()`;
}

export async function claimLetters(tx: Tx, limit: number, leaseMs: number, environment: string): Promise<ClaimedRow[]> {
  return tx.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM letters
      WHERE status = 'queued' AND next_attempt_at <= now()
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE letters AS l
      SET status = 'sending', attempts = l.attempts + 1, lease_until = now() + ${leaseMs} * interval '1 millisecond',
          environment = ${environment}, updated_at = now()
      FROM due WHERE l.id = due.id
      RETURNING l.*
    )
    SELECT c.id, c.tenant_id, c.service, c.purpose, c.reference, c.attempts, c.sending_id, c.address_lines, c.country_code,
           c.color_printing, c.duplex_printing, d.storage_key, d.file_name,
           COALESCE(o.legal_name, o.name) AS org_name, o.address_line1 AS org_line1, o.address_line2 AS org_line2,
           o.postal_code AS org_postal_code, o.city AS org_city
    FROM claimed c
    LEFT JOIN documents d ON d.tenant_id = c.tenant_id AND d.id = c.document_id
    JOIN organisations o ON o.id = c.tenant_id`;
}

/** Records the answers in one statement; a letter no longer 'sending' (moved on by someone else) is left alone. */
export async function recordLetterOutcomes(tx: Tx, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const ids = outcomes.map((o) => o.id);
  const statuses = outcomes.map((o) => o.status);
  const errors = outcomes.map((o) => (o.status === 'submitted' ? null : o.error.slice(0, 2000)));
  const delays = outcomes.map((o) => (o.status === 'queued' ? o.delayMs : 0));
  const providerStatuses = outcomes.map((o) => (o.status === 'submitted' ? o.providerStatus : null));
  await tx.$executeRaw`
    UPDATE letters AS l
    SET status = r.status,
        last_error = r.error,
        submitted_at = CASE WHEN r.status = 'submitted' THEN now() ELSE l.submitted_at END,
        provider_status = COALESCE(r.provider_status, l.provider_status),
        status_checked_at = CASE WHEN r.status = 'submitted' THEN now() ELSE l.status_checked_at END,
        history = CASE WHEN r.status = 'submitted'
          THEN l.history || jsonb_build_array(jsonb_build_object('at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'code', 'submitted', 'label', 'Transmis à Maileva'))
          ELSE l.history END,
        next_attempt_at = CASE WHEN r.status = 'queued' THEN now() + r.delay_ms * interval '1 millisecond' ELSE l.next_attempt_at END,
        lease_until = NULL,
        updated_at = now()
    FROM unnest(${ids}::uuid[], ${statuses}::text[], ${errors}::text[], ${delays}::int[], ${providerStatuses}::text[]) AS r(id, status, error, delay_ms, provider_status)
    WHERE l.id = r.id AND l.status = 'sending'`;
}

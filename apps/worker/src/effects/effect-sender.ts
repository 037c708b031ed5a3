import { inSpan, isDatabaseUnavailable, traceContextFrom, withSystem, type Db } from '@crm/db';
import { retryDelayMs, type DocumentStorage } from '@crm/domain';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Waker } from '../event-bus/relay.ts';
import { claimEffects, EFFECT_QUEUES, reapExpiredLeases, recordOutcomes, type ClaimedEffect, type EffectOutcome, type EffectQueueName } from './effect-queues.ts';
import { accountTransport, MailConnectionUnavailable, type AccountMailSender } from './account-transports.ts';
import { IDEMPOTENT_TRANSPORTS, PermanentSendError, type MailAttachment, type MailTransport } from './transports.ts';

export interface EffectSenderOptions {
  db: Db;
  transport: MailTransport;
  /**
   * Tenant mail of an organisation that chose a connected account goes through it (Gmail API,
   * Graph, the account's SMTP). Without one (no MAIL_MASTER_KEY), such mail waits, retried.
   */
  accountSender?: AccountMailSender | undefined;
  log: Logger;
  /**
   * When tracing is on: a client span per delivery ('send mail'), child of the trace stored with
   * the row, with the queue, the effect id, the attempt and the outcome, never the recipient,
   * subject or body. Without one, no span.
   */
  tracer?: Tracer | undefined;
  /** Where attachments' bytes are (the document storage); a mail with attachments and no storage fails. */
  storage?: DocumentStorage | undefined;
  /** Wakes the sender on commit (LISTEN crm_effects); without one it polls. */
  waker?: Waker | undefined;
  pollMs?: number;
  /**
   * Rows claimed per round and queue. Small for a transport that cannot deduplicate: every row
   * claimed by a worker that dies becomes 'uncertain' (default: twice the concurrency; 100 otherwise).
   */
  batchSize?: number;
  /** Messages in flight at once (the SMTP pool's connections). */
  concurrency?: number;
  /** How long a claim holds; past it, the row is reaped (requeued or 'uncertain'). */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
}

/**
 * The worker's sender of outgoing effects (system mail and the tenants' mail). Rows are written
 * in the transactions that decide them; this claims due rows after commit (FOR UPDATE SKIP
 * LOCKED under a lease, so several workers share the queue), sends them, and records each
 * provider's answer: sent (its message id), or due again after a growing delay, or failed (a
 * permanent refusal, or `maxAttempts` reached). Claiming crosses tenants, so it runs through the
 * loudly named withSystem, and nothing else does.
 */
export class EffectSender {
  sent = 0;
  failed = 0;
  lastError: unknown = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private woken = false;

  constructor(private readonly options: EffectSenderOptions) {}

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

  /** One round over both queues: reap expired leases, claim, send, record. Returns rows handled. */
  async drainOnce(): Promise<number> {
    let handled = 0;
    for (const queue of EFFECT_QUEUES) handled += await this.round(queue);
    return handled;
  }

  private async round(queue: EffectQueueName): Promise<number> {
    const { db, transport, concurrency = 5, leaseMs = 60_000 } = this.options;
    const batchSize = this.options.batchSize ?? (transport.idempotent ? 100 : concurrency * 2);
    const claimed = await withSystem(db, async (tx) => {
      await reapExpiredLeases(tx, queue, IDEMPOTENT_TRANSPORTS);
      return claimEffects(tx, queue, batchSize, leaseMs, transport.name);
    });
    if (claimed.length === 0) return 0;
    const outcomes = await this.sendAll(claimed);
    await withSystem(db, (tx) => recordOutcomes(tx, queue, outcomes));
    return claimed.length;
  }

  private async sendAll(claimed: ClaimedEffect[]): Promise<EffectOutcome[]> {
    const { concurrency = 5 } = this.options;
    const outcomes: EffectOutcome[] = [];
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const index = next++;
        outcomes[index] = await this.sendTraced(claimed[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    return outcomes;
  }

  private sendTraced(effect: ClaimedEffect): Promise<EffectOutcome> {
    const { tracer } = this.options;
    if (!tracer) return this.sendOne(effect);
    const attributes = { 'crm.effect.queue': effect.queue, 'crm.effect.id': effect.id, 'crm.effect.attempt': effect.attempts, 'crm.effect.transport': effect.transport };
    return inSpan(tracer, 'send mail', { kind: SpanKind.CLIENT, attributes }, traceContextFrom(effect.traceParent), async (span) => {
      const outcome = await this.sendOne(effect);
      span.setAttribute('crm.effect.outcome', outcome.status);
      // A refusal: its class only (the provider's message may quote the address), like recordSpanError.
      if (outcome.status !== 'sent') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.status === 'failed' ? 'send failed, given up' : 'send failed, will retry' });
      return outcome;
    });
  }

  private async sendOne(effect: ClaimedEffect): Promise<EffectOutcome> {
    const { transport, log, maxAttempts = 8, retryBaseMs = 30_000 } = this.options;
    try {
      const mail = effect.attachments.length === 0 ? effect.mail : { ...effect.mail, attachments: await this.readAttachments(effect) };
      const result = await this.transportFor(effect, transport).send(mail);
      this.sent++;
      return { id: effect.id, status: 'sent', messageId: result.messageId };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const permanent = error instanceof PermanentSendError;
      const bindings = { queue: effect.queue, effectId: effect.id, attempt: effect.attempts, permanent };
      if (!permanent && effect.attempts < maxAttempts) {
        const delayMs = retryDelayMs(effect.attempts, retryBaseMs);
        log.warn({ ...bindings, err: error, delayMs }, 'send failed, will retry');
        return { id: effect.id, status: 'queued', error: message, delayMs };
      }
      this.failed++;
      log.error({ ...bindings, err: error }, 'send failed, given up');
      return { id: effect.id, status: 'failed', error: message };
    }
  }

  private transportFor(effect: ClaimedEffect, system: MailTransport): MailTransport {
    if (!effect.senderConnectionId || !effect.tenantId) return system;
    const { accountSender } = this.options;
    if (!accountSender) throw new MailConnectionUnavailable('this worker cannot send through connected accounts (MAIL_MASTER_KEY unset)');
    return accountTransport(accountSender, effect.tenantId, effect.senderConnectionId, effect.transport.replace(/^account:/, ''));
  }

  private async readAttachments(effect: ClaimedEffect): Promise<MailAttachment[]> {
    const { storage } = this.options;
    if (!storage) throw new Error('attachments need the document storage, which this sender was not given');
    const read: MailAttachment[] = [];
    for (const attachment of effect.attachments) {
      if (!attachment.storageKey) throw new Error(`attachment ${attachment.documentId}: no such document`);
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.get(attachment.storageKey)) chunks.push(Buffer.from(chunk as Uint8Array));
      read.push({ filename: attachment.fileName, contentType: attachment.mimeType, content: Buffer.concat(chunks) });
    }
    return read;
  }

  private async run(): Promise<void> {
    const { log, pollMs = 1_000 } = this.options;
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
        if (isDatabaseUnavailable(error)) log.warn({ err: error }, 'database unavailable, sender will retry');
        else log.error({ err: error }, 'sender round failed');
      }
      if (this.stopping) break;
      if (handled > 0 && failures === 0) continue; // more may be due
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

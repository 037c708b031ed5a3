import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One message as a transport sends it. `key` is the queue-wide idempotency key. */
export interface OutgoingMail {
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Stored documents sent with it (tenant mail), their bytes read by the sender before the send. */
  attachments?: readonly MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SendResult {
  /** The provider's id for the message (SMTP: the Message-ID we set, with the server's answer). */
  messageId: string;
  response?: string | undefined;
}

/**
 * Where messages go. `idempotent`: the transport deduplicates by key, so a message whose send
 * may have happened (a crash before its result was recorded) can simply be sent again. For one
 * that cannot (SMTP), such a message becomes 'uncertain' and is never resent automatically.
 */
export interface MailTransport {
  readonly name: string;
  readonly idempotent: boolean;
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * The transports that deduplicate by key, by name: a reaper decides by the transport that claimed
 * a row (recorded on it), whichever transport the reaping worker has.
 */
export const IDEMPOTENT_TRANSPORTS = ['capture'];

/** A refusal that will not change by retrying (an SMTP 5xx): the message fails at once. */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/** A deterministic Message-ID: the same key always gives the same header (receivers may dedupe on it). */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'crm.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

/**
 * Mail capture (the embedded default, development, tests): nothing leaves the machine; the
 * queue row itself is the local outbox the web app shows ("Courriers envoyés"), marked sent with
 * the deterministic Message-ID. Sending twice is the same no-op: it deduplicates by key.
 */
export function captureTransport(from: string): MailTransport {
  return {
    name: 'capture',
    idempotent: true,
    send: (mail) => Promise.resolve({ messageId: messageIdFor(mail.key, from), response: 'captured' }),
    close: () => Promise.resolve(),
  };
}

/**
 * SMTP through nodemailer, pooled (`SMTP_URL`, e.g. smtp://user:pass@host:587). SMTP has no
 * idempotency: a crash between the server's 250 and our record leaves the message 'uncertain'.
 * A 5xx answer is permanent; a 4xx or a network failure is retried.
 */
export function smtpTransport(url: string, from: string, options: { maxConnections?: number } = {}): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
  } as unknown as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: 'smtp',
    idempotent: false,
    async send(mail) {
      const messageId = messageIdFor(mail.key, from);
      try {
        const info = (await transporter.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
          messageId,
        })) as { messageId?: string; response?: string };
        return { messageId: info.messageId ?? messageId, response: info.response };
      } catch (error) {
        const { responseCode, response } = error as { responseCode?: unknown; response?: unknown };
        if (typeof responseCode === 'number' && responseCode >= 500) {
          throw new PermanentSendError(`SMTP ${responseCode}: ${typeof response === 'string' ? response : ''}`.slice(0, 500));
        }
        throw error;
      }
    },
    close: () => Promise.resolve(transporter.close()),
  };
}

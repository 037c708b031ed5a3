import { accountCredentials, MailConnectionUnavailable, type AccountCredentials, type MailAccountsConfig } from '@crm/domain';
import type { Db } from '@crm/db';
import nodemailer from 'nodemailer';
import { messageIdFor, PermanentSendError, type MailTransport, type OutgoingMail, type SendResult } from './transports.ts';

// The tenants' mail through a member's connected account (issue 15 §2): the Gmail API
// (users.messages.send with the raw RFC 822 message), Microsoft Graph (POST /me/sendMail), or
// the account's own SMTP server. The From is the account's address. None of them deduplicates,
// so, like system SMTP, a message whose send may have happened becomes 'uncertain'.

/** The name recorded on a row sent through a connected account: `account:<provider>`. */
export const accountTransportName = (provider: string) => `account:${provider}`;

/** An access token refused (401): the cached one is dropped and the send retried. */
class StaleAccessToken extends Error {
  constructor() {
    super('the provider refused the access token (401): it will be refreshed');
    this.name = 'StaleAccessToken';
  }
}

/** The RFC 822 bytes of a message, as Gmail's `raw` wants them (nodemailer builds them, CRLF). */
async function rfc822(mail: OutgoingMail, from: string): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = (await composer.sendMail({
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
    messageId: messageIdFor(mail.key, from),
  })) as { message: Buffer };
  return info.message;
}

/** A provider API's refusal: 400/403/404 will not change by retrying; 401 asks for a new token; 429/5xx retry. */
async function apiFailure(response: Response, api: string): Promise<Error> {
  const detail = await response.text().catch(() => '');
  // Only the status and the provider's error code: the body may quote the message.
  let code = '';
  try {
    const parsed = JSON.parse(detail) as { error?: { code?: unknown; status?: unknown } };
    const found = parsed.error?.status ?? parsed.error?.code;
    code = typeof found === 'string' || typeof found === 'number' ? String(found) : '';
  } catch {
    /* not JSON */
  }
  if (response.status === 401) return new StaleAccessToken();
  const message = `${api} ${response.status}${code ? ` ${code}` : ''}`;
  return response.status === 400 || response.status === 403 || response.status === 404 || response.status === 413 ? new PermanentSendError(message) : new Error(message);
}

async function sendThroughGmail(c: Extract<AccountCredentials, { kind: 'oauth' }>, mail: OutgoingMail, fetchFn: typeof fetch): Promise<SendResult> {
  const raw = (await rfc822(mail, c.email)).toString('base64url');
  const response = await fetchFn(`${c.apiUrl.replace(/\/$/, '')}/gmail/v1/users/me/messages/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ raw }),
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw await apiFailure(response, 'Gmail API');
  const answer = (await response.json()) as { id?: string };
  return { messageId: `gmail:${answer.id ?? messageIdFor(mail.key, c.email)}` };
}

async function sendThroughGraph(c: Extract<AccountCredentials, { kind: 'oauth' }>, mail: OutgoingMail, fetchFn: typeof fetch): Promise<SendResult> {
  const message = {
    subject: mail.subject,
    // Graph takes one body: the HTML part when there is one, the text otherwise.
    body: mail.html ? { contentType: 'HTML', content: mail.html } : { contentType: 'Text', content: mail.text },
    toRecipients: [{ emailAddress: { address: mail.to } }],
    attachments: (mail.attachments ?? []).map((a) => ({ '@odata.type': '#microsoft.graph.fileAttachment', name: a.filename, contentType: a.contentType, contentBytes: a.content.toString('base64') })),
  };
  const response = await fetchFn(`${c.apiUrl.replace(/\/$/, '')}/me/sendMail`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message, saveToSentItems: true }),
    signal: AbortSignal.timeout(60_000),
  });
  // 202 Accepted, no body: Graph gives no message id; its request id is what support can trace.
  if (response.status !== 202) throw await apiFailure(response, 'Graph');
  return { messageId: `graph:${response.headers.get('request-id') ?? messageIdFor(mail.key, c.email)}` };
}

async function sendThroughSmtpAccount(c: Extract<AccountCredentials, { kind: 'smtp' }>, mail: OutgoingMail, tls: { ca?: string | Buffer; rejectUnauthorized?: boolean } | undefined): Promise<SendResult> {
  const transporter = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure,
    // Never the password in clear: STARTTLS is required where TLS is not there from the start.
    requireTLS: !c.secure,
    auth: { user: c.username, pass: c.password },
    connectionTimeout: 20_000,
    ...(tls ? { tls } : {}),
  });
  const messageId = messageIdFor(mail.key, c.email);
  try {
    const info = (await transporter.sendMail({
      from: c.email,
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
    // 535 (bad credentials) is permanent for this message too: the owner must fix the account.
    if (typeof responseCode === 'number' && responseCode >= 500) throw new PermanentSendError(`SMTP ${responseCode}: ${typeof response === 'string' ? response : ''}`.slice(0, 500));
    throw error;
  } finally {
    transporter.close();
  }
}

/**
 * Sends tenant mail through the connection the organisation chose. Access tokens are kept in
 * memory until a minute before they expire (asked for again with the refresh token, through
 * accountCredentials); a 401 drops the token and retries once with a fresh one.
 */
export class AccountMailSender {
  private readonly tokens = new Map<string, Extract<AccountCredentials, { kind: 'oauth' }>>();

  constructor(
    private readonly deps: {
      db: Db;
      config: MailAccountsConfig;
      now?: () => Date;
      /** TLS options for accounts' SMTP servers (tests: the certificate authority of a local server); the system's trust store otherwise. */
      smtpTls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
    },
  ) {}

  async send(tenantId: string, connectionId: string, mail: OutgoingMail): Promise<SendResult> {
    try {
      return await this.attempt(tenantId, connectionId, mail);
    } catch (error) {
      if (!(error instanceof StaleAccessToken)) throw error;
      this.tokens.delete(connectionId);
      return this.attempt(tenantId, connectionId, mail);
    }
  }

  private async attempt(tenantId: string, connectionId: string, mail: OutgoingMail): Promise<SendResult> {
    const c = await this.credentials(tenantId, connectionId);
    const fetchFn = this.deps.config.fetch ?? fetch;
    if (c.kind === 'smtp') return sendThroughSmtpAccount(c, mail, this.deps.smtpTls);
    return c.provider === 'google' ? sendThroughGmail(c, mail, fetchFn) : sendThroughGraph(c, mail, fetchFn);
  }

  private async credentials(tenantId: string, connectionId: string): Promise<AccountCredentials> {
    const now = this.deps.now ?? (() => new Date());
    const cached = this.tokens.get(connectionId);
    if (cached && cached.expiresAt - 60_000 > now().getTime()) return cached;
    this.tokens.delete(connectionId);
    const fresh = await accountCredentials({ db: this.deps.db, config: this.deps.config, now }, tenantId, connectionId);
    if (fresh.kind === 'oauth') this.tokens.set(connectionId, fresh);
    return fresh;
  }
}

/** A transport for the rows of one connection, so the sender handles them like any other. */
export function accountTransport(sender: AccountMailSender, tenantId: string, connectionId: string, provider: string): MailTransport {
  return {
    name: accountTransportName(provider),
    idempotent: false,
    send: (mail) => sender.send(tenantId, connectionId, mail),
    close: () => Promise.resolve(),
  };
}

export { MailConnectionUnavailable };

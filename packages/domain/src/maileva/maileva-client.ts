import { systemClock, type Clock } from '../shared/clock.ts';

/** Maileva's services: a simple letter (mail API), or a registered one with or without acknowledgement (registered_mail API). */
export type MailevaService = 'simple' | 'registered' | 'registered_with_ack';

/**
 * A client for Maileva's public APIs (OpenAPI files in ../shared/maileva, vendored in
 * packages/domain/test/fixtures/maileva): the OAuth2 token (authentication v2.0), simple letters
 * (`/mail/v2`, v2.6) and registered letters (`/registered_mail/v2`, v2.5). The flow is create
 * sending (DRAFT) -> upload the PDF -> add the recipient -> submit; reads follow the sending,
 * its recipients, their delivery statuses and the proofs (ZIP files holding PDFs).
 *
 * Every body it sends is validated against those files in `maileva-contract.test.ts`. Every
 * option is explicit: upstream prints in colour and on both sides unless told otherwise.
 */

export type MailevaEnvironmentName = 'sandbox' | 'production' | 'fake';

export interface MailevaConfig {
  environment: MailevaEnvironmentName;
  /** The OpenID Connect base, without `/token`. */
  authUrl: string;
  /** The API host, without `/mail/v2`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Where Maileva mails its notices (required on a registered sending). */
  notificationEmail: string;
}

/** Maileva's published hosts per environment (servers of the OpenAPI files). */
export const MAILEVA_HOSTS: Record<'sandbox' | 'production', { authUrl: string; apiUrl: string }> = {
  sandbox: { authUrl: 'https://connexion.sandbox.maileva.net/auth/realms/services/protocol/openid-connect', apiUrl: 'https://api.sandbox.maileva.net' },
  production: { authUrl: 'https://connexion.maileva.com/auth/realms/services/protocol/openid-connect', apiUrl: 'https://api.maileva.com' },
};

/** The local fake (`maileva-fake.ts`) serves the same paths under one base URL. */
export const fakeMailevaHosts = (baseUrl: string) => {
  const base = baseUrl.replace(/\/+$/, '');
  return { authUrl: `${base}/auth/realms/services/protocol/openid-connect`, apiUrl: base };
};

export const apiPathOf = (service: MailevaService) => (service === 'simple' ? '/mail/v2' : '/registered_mail/v2');

/** A refusal or failure of Maileva: `permanent` when asking again cannot succeed (a 4xx other than 401/408/429). */
export class MailevaError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly permanent: boolean,
    readonly codes: readonly string[] = [],
  ) {
    super(message);
    this.name = 'MailevaError';
  }
}

export interface SendingOptions {
  name: string;
  customId: string;
  colorPrinting: boolean;
  duplexPrinting: boolean;
  /** Registered only: acknowledgement of receipt (AR). */
  acknowledgementOfReceipt?: boolean;
  /** Registered: 3, 6 or 10 years (upstream default 3); simple: 0 (none), 1, 3, 6, 10. */
  archivingDuration: number;
  senderAddressLines?: readonly (string | null)[];
  senderCountryCode?: string;
}

export interface RecipientInput {
  customId: string;
  addressLines: readonly (string | null)[];
  countryCode: string;
}

/** The fields of a sending we use (sending_response). */
export interface MailevaSending {
  id: string;
  custom_id?: string;
  status?: string;
  status_detail?: string;
  submission_date?: string;
  processed_date?: string;
  archive_date?: string;
  deposit_proof_date?: string;
  envelope_type?: string;
  sheets_count?: number;
}

/** The fields of a recipient we use (recipient_response). */
export interface MailevaRecipient {
  id: string;
  custom_id?: string;
  status?: string;
  status_detail?: string;
  last_delivery_status?: string;
  last_delivery_status_date?: string;
  /** EUR, a decimal number (e.g. 1.21). */
  postage_price?: number;
  registered_number?: string;
  archive_date?: string;
  acknowledgement_of_receipt_archive_date?: string;
}

export interface MailevaDeliveryStatus {
  status?: string;
  label?: string;
  date?: string;
}

/** The request bodies this client sends, as built (the contract test validates them). */
export function sendingCreationBody(service: MailevaService, options: SendingOptions, notificationEmail: string): Record<string, unknown> {
  const sender = options.senderAddressLines ?? [];
  const body: Record<string, unknown> = {
    name: options.name.slice(0, 256),
    custom_id: options.customId,
    color_printing: options.colorPrinting,
    duplex_printing: options.duplexPrinting,
    // Our PDFs carry no address in the envelope window: Maileva adds an address sheet.
    optional_address_sheet: true,
    notification_email: notificationEmail,
    archiving_duration: options.archivingDuration,
  };
  sender.forEach((line, index) => {
    if (line) body[`sender_address_line_${index + 1}`] = line;
  });
  if (sender.length > 0 && options.senderCountryCode) body.sender_country_code = options.senderCountryCode;
  if (service === 'simple') {
    body.print_sender_address = false;
    body.treat_undelivered_mail = false;
  } else {
    body.acknowledgement_of_receipt = options.acknowledgementOfReceipt ?? false;
    body.acknowledgement_of_receipt_scanning = false;
  }
  return body;
}

export function recipientCreationBody(recipient: RecipientInput): Record<string, unknown> {
  const body: Record<string, unknown> = { custom_id: recipient.customId, country_code: recipient.countryCode };
  recipient.addressLines.forEach((line, index) => {
    if (line) body[`address_line_${index + 1}`] = line;
  });
  return body;
}

export function documentMetadata(name: string): { priority: number; name: string } {
  return { priority: 1, name };
}

export function tokenRequestForm(config: Pick<MailevaConfig, 'username' | 'password'>): Record<string, string> {
  return { grant_type: 'password', username: config.username, password: config.password };
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class MailevaClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    readonly config: MailevaConfig,
    private readonly options: { fetch?: FetchLike; timeoutMs?: number; clock?: Clock } = {},
  ) {}

  get environment(): MailevaEnvironmentName {
    return this.config.environment;
  }

  async createSending(service: MailevaService, options: SendingOptions): Promise<MailevaSending> {
    return (await this.json('POST', service, '/sendings', sendingCreationBody(service, options, this.config.notificationEmail))) as MailevaSending;
  }

  /** A sending made by an earlier attempt whose answer was lost, found by our reference among the latest ones. */
  async findSendingByCustomId(service: MailevaService, customId: string, maxScanned = 1_000): Promise<MailevaSending | null> {
    for (let start = 1; start <= maxScanned; start += 100) {
      const page = (await this.json('GET', service, `/sendings?start_index=${start}&count=100`)) as { sendings?: MailevaSending[] };
      const sendings = page.sendings ?? [];
      const found = sendings.find((s) => s.custom_id === customId);
      if (found) return found;
      if (sendings.length < 100) return null;
    }
    return null;
  }

  getSending(service: MailevaService, sendingId: string): Promise<MailevaSending> {
    return this.json('GET', service, `/sendings/${encodeURIComponent(sendingId)}`) as Promise<MailevaSending>;
  }

  async listDocuments(service: MailevaService, sendingId: string): Promise<{ id: string }[]> {
    const body = (await this.json('GET', service, `/sendings/${encodeURIComponent(sendingId)}/documents`)) as { documents?: { id: string }[] };
    return body.documents ?? [];
  }

  async uploadDocument(service: MailevaService, sendingId: string, pdf: Uint8Array, name: string): Promise<{ id: string }> {
    const form = new FormData();
    form.set('document', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), name);
    form.set('metadata', new Blob([JSON.stringify(documentMetadata(name))], { type: 'application/json' }));
    return (await this.call('POST', service, `/sendings/${encodeURIComponent(sendingId)}/documents`, form)) as { id: string };
  }

  async listRecipients(service: MailevaService, sendingId: string): Promise<MailevaRecipient[]> {
    const body = (await this.json('GET', service, `/sendings/${encodeURIComponent(sendingId)}/recipients`)) as { recipients?: MailevaRecipient[] };
    return body.recipients ?? [];
  }

  async addRecipient(service: MailevaService, sendingId: string, recipient: RecipientInput): Promise<MailevaRecipient> {
    return (await this.json('POST', service, `/sendings/${encodeURIComponent(sendingId)}/recipients`, recipientCreationBody(recipient))) as MailevaRecipient;
  }

  async submit(service: MailevaService, sendingId: string): Promise<void> {
    await this.call('POST', service, `/sendings/${encodeURIComponent(sendingId)}/submit`, undefined);
  }

  async deliveryStatuses(service: MailevaService, sendingId: string, recipientId: string): Promise<MailevaDeliveryStatus[]> {
    const body = (await this.json('GET', service, `/sendings/${encodeURIComponent(sendingId)}/recipients/${encodeURIComponent(recipientId)}/delivery_statuses`)) as {
      delivery_statuses?: MailevaDeliveryStatus[];
    };
    return body.delivery_statuses ?? [];
  }

  /** Proofs are ZIP files (application/zip); null when Maileva has none yet (404). */
  download(service: MailevaService, path: string): Promise<Uint8Array | null> {
    return this.binary(service, path);
  }

  private async accessToken(force: boolean): Promise<string> {
    const now = (this.options.clock ?? systemClock)().getTime();
    if (!force && this.token && this.token.expiresAt > now + 30_000) return this.token.value;
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    const response = await this.fetch(`${this.config.authUrl}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(tokenRequestForm(this.config)).toString(),
    });
    const body = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (!response.ok || typeof body?.access_token !== 'string') {
      // Wrong credentials will not fix themselves: permanent for the letter, loud for the operator.
      throw new MailevaError(`Authentification Maileva refusée (${response.status})`, response.status, response.status === 400 || response.status === 401 || response.status === 403);
    }
    const seconds = Number(body.expires_in ?? 300);
    this.token = { value: body.access_token, expiresAt: now + (Number.isFinite(seconds) ? seconds : 300) * 1000 };
    return this.token.value;
  }

  private json(method: string, service: MailevaService, path: string, body?: Record<string, unknown>): Promise<unknown> {
    return this.call(method, service, path, body === undefined ? undefined : JSON.stringify(body));
  }

  private async call(method: string, service: MailevaService, path: string, body: string | FormData | undefined): Promise<unknown> {
    const response = await this.authorised(method, service, path, body, 'application/json');
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new MailevaError(`Réponse Maileva illisible (${method} ${path})`, response.status, false);
    }
  }

  private async binary(service: MailevaService, path: string): Promise<Uint8Array | null> {
    const response = await this.authorised('GET', service, path, undefined, 'application/zip', true);
    if (response.status === 404) return null;
    return new Uint8Array(await response.arrayBuffer());
  }

  /** One request with the bearer token; a 401 gets a fresh token and one more try (french-rules §5). */
  private async authorised(method: string, service: MailevaService, path: string, body: string | FormData | undefined, accept: string, allow404 = false): Promise<Response> {
    const url = `${this.config.apiUrl}${apiPathOf(service)}${path}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept };
      if (typeof body === 'string') headers['content-type'] = 'application/json';
      const response = await this.fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
      if (response.status === 401 && attempt === 0) continue;
      if (response.ok || (allow404 && response.status === 404)) return response;
      throw await errorOf(response, method, path);
    }
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await (this.options.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new MailevaError(`Maileva injoignable (${error instanceof Error ? error.name : 'erreur réseau'})`, null, false);
    }
  }
}

async function errorOf(response: Response, method: string, path: string): Promise<MailevaError> {
  const body = (await response.json().catch(() => null)) as { errors?: { code?: string; message?: string }[]; code?: string; message?: string } | null;
  const errors = body?.errors ?? (body?.code ? [body] : []);
  const codes = errors.map((e) => e.code ?? '').filter(Boolean);
  const detail = errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  const transient = response.status >= 500 || response.status === 401 || response.status === 408 || response.status === 429;
  const route = `${method} ${path.replace(/\?.*$/, '')}`;
  return new MailevaError(`Maileva a répondu ${response.status} à ${route}${detail ? ` : ${detail}` : ''}`, response.status, !transient, codes);
}

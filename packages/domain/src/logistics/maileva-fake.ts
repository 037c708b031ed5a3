import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { systemClock, type Clock } from '../shared/clock.ts';
import { ADDRESS_LINE_MAX } from './letter-address.ts';
import { MAILEVA_COUNTRIES } from './maileva-countries.ts';

/**
 * A local Maileva that follows the public OpenAPI files (authentication v2.0, mail v2.6,
 * registered_mail v2.5): the token endpoint, sendings, documents (multipart), recipients,
 * submit, a simulated status progression with delivery statuses and proofs (ZIP files holding
 * PDFs), and the notification center's webhooks (a payload without status, answered 201).
 * It serves the tests and the embedded default (`npm start`: mounted by the API, see
 * apps/api/src/maileva-fake.ts). State lives in memory.
 *
 * Progression, one step per `advance()` (or every `stepMs` when given):
 *   simple:              ACCEPTED -> PROCESSED (postage) -> archived
 *   registered:          ACCEPTED -> PROCESSED (deposit proof, A01) -> D01 delivered -> archived
 *   registered with AR:  ACCEPTED -> PROCESSED (deposit proof, A01) -> D01 -> N01 (AR PDF) -> archived
 */

type Api = 'mail' | 'registered_mail';

interface FakeDocument {
  id: string;
  name: string;
  bytes: Uint8Array;
  pagesCount: number;
  priority: number;
}

interface FakeRecipient {
  id: string;
  body: Record<string, unknown>;
  status: string;
  deliveryStatuses: { status: string; label: string; date: string }[];
  postagePrice?: number;
  registeredNumber?: string;
  archiveDate?: string;
  acknowledgementDate?: string;
}

export interface FakeSending {
  api: Api;
  id: string;
  body: Record<string, unknown>;
  status: string;
  creationDate: string;
  submissionDate?: string;
  processedDate?: string;
  archiveDate?: string;
  depositProofDate?: string;
  step: number;
  documents: FakeDocument[];
  recipients: FakeRecipient[];
}

export interface FakeWebhookCall {
  url: string;
  status: number | null;
  payload: Record<string, unknown>;
}

export interface MailevaFakeOptions {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** Where notifications go (the product's webhook URL, secret included); none: no webhooks. */
  webhookUrl?: string | (() => string | null);
  /** Advance every submitted sending one step this often (the embedded default); none: by `advance()` only. */
  stepMs?: number;
  tokenSeconds?: number;
  clock?: Clock;
}

const DELIVERY_LABELS: Record<string, string> = {
  A01: 'Pris en charge',
  D01: 'Distribué',
  N01: 'Avis de réception numérisé',
};

export class MailevaFake {
  readonly sendings = new Map<string, FakeSending>();
  readonly requests: { method: string; path: string; contentType: string | undefined; body: unknown }[] = [];
  readonly webhooks: FakeWebhookCall[] = [];
  private readonly tokens = new Set<string>();
  private server: Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Set by tests: the next matching requests fail with this status (then the fake answers normally again). */
  failNext: { method: string; pathPattern: RegExp; status: number; times: number } | null = null;
  baseUrl = '';

  constructor(private readonly options: MailevaFakeOptions = {}) {}

  private now(): string {
    return (this.options.clock ?? systemClock)().toISOString();
  }

  get credentials() {
    return {
      clientId: this.options.clientId ?? 'fake-client',
      clientSecret: this.options.clientSecret ?? 'fake-secret',
      username: this.options.username ?? 'fake-user',
      password: this.options.password ?? 'fake-password',
    };
  }

  /** Listens on 127.0.0.1 (port 0: any free port); `baseUrl` is then set. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res, req.url ?? '/'));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.startTimer();
    return this.baseUrl;
  }

  /** Serves requests handed over by another server (the API mounts it under a prefix). */
  mount(baseUrl: string): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
    this.baseUrl = baseUrl;
    this.startTimer();
    return (req, res, path) => this.handle(req, res, path);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Forgets every token issued: the next call gets a 401, as when a token expires upstream. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Moves every submitted sending (or one) a step further, sending the webhooks of that step. */
  async advance(sendingId?: string): Promise<void> {
    for (const sending of this.sendings.values()) {
      if (sendingId && sending.id !== sendingId) continue;
      if (sending.status === 'DRAFT' || sending.status === 'REJECTED') continue;
      await this.step(sending);
    }
  }

  private startTimer() {
    if (this.options.stepMs && !this.timer) {
      this.timer = setInterval(() => void this.advance().catch(() => undefined), this.options.stepMs);
      this.timer.unref();
    }
  }

  private async step(sending: FakeSending): Promise<void> {
    const now = this.now();
    const registered = sending.api === 'registered_mail';
    const withAck = registered && sending.body.acknowledgement_of_receipt === true;
    const recipient = sending.recipients[0];
    const events: string[] = [];
    const stages = registered ? (withAck ? ['processed', 'delivered', 'acknowledged', 'archived'] : ['processed', 'delivered', 'archived']) : ['processed', 'archived'];
    const stage = stages[sending.step];
    if (!stage) return;
    sending.step++;
    if (stage === 'processed') {
      sending.status = 'PROCESSED';
      sending.processedDate = now;
      events.push('ON_STATUS_PROCESSED');
      for (const r of sending.recipients) {
        r.status = 'PROCESSED';
        r.postagePrice = registered ? (withAck ? 6.35 : 5.36) : 1.29;
        if (registered) {
          r.registeredNumber = `1A${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
          r.deliveryStatuses.push({ status: 'A01', label: DELIVERY_LABELS.A01!, date: now });
        }
      }
      if (registered) {
        sending.depositProofDate = now;
        events.push('ON_DEPOSIT_PROOF_RECEIVED');
      }
    } else if (stage === 'delivered' && recipient) {
      for (const r of sending.recipients) r.deliveryStatuses.push({ status: 'D01', label: DELIVERY_LABELS.D01!, date: now });
    } else if (stage === 'acknowledged') {
      for (const r of sending.recipients) {
        r.deliveryStatuses.push({ status: 'N01', label: DELIVERY_LABELS.N01!, date: now });
        r.acknowledgementDate = now;
      }
      events.push('ON_ACKNOWLEDGEMENT_OF_RECEIPT_RECEIVED');
    } else if (stage === 'archived') {
      sending.archiveDate = now;
      for (const r of sending.recipients) r.archiveDate = now;
      events.push('ON_STATUS_ARCHIVED');
    }
    for (const event of events) await this.notify(sending, event);
  }

  private async notify(sending: FakeSending, eventType: string): Promise<void> {
    const configured = this.options.webhookUrl;
    const url = typeof configured === 'function' ? configured() : configured;
    if (!url) return;
    // As the notification center: what happened to which resource, never its status.
    const payload = {
      id: randomUUID(),
      source: sending.api === 'mail' ? 'MAIL' : 'REGISTERED_MAIL',
      event_type: eventType,
      event_date: this.now(),
      resource_type: `${sending.api}/v2/sendings`,
      resource_id: sending.id,
      resource_location: `${this.baseUrl}/${sending.api}/v2/sendings/${sending.id}`,
    };
    const call: FakeWebhookCall = { url, status: null, payload };
    this.webhooks.push(call);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10_000) });
      call.status = response.status;
    } catch {
      call.status = null;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    try {
      const url = new URL(rawPath, 'http://fake');
      const body = await readBody(req);
      const contentType = req.headers['content-type'];
      const path = url.pathname.replace(/\/+$/, '');
      if (path.endsWith('/openid-connect/token') && req.method === 'POST') return this.token(req, res, body, contentType);
      const match = /^\/(mail|registered_mail)\/v2(\/.*)$/.exec(path);
      if (!match) return send(res, 404, { code: 'NOT_FOUND', message: 'Ressource inconnue' });
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7))) return send(res, 401, { code: 'UNAUTHORIZED', message: 'Jeton absent ou expiré' });
      const failing = this.failNext;
      if (failing && failing.method === req.method && failing.pathPattern.test(match[2]!) && failing.times > 0) {
        failing.times--;
        if (failing.times === 0) this.failNext = null;
        return send(res, failing.status, { errors: [{ code: 'SERVER_ERROR', message: 'Panne simulée' }] });
      }
      this.requests.push({ method: req.method ?? 'GET', path: match[2]!, contentType, body: contentType?.startsWith('application/json') && body.length > 0 ? JSON.parse(body.toString('utf8')) : null });
      await this.route(req.method ?? 'GET', match[1] as Api, match[2]!, url, req, body, res);
    } catch (error) {
      send(res, 500, { code: 'SERVER_ERROR', message: error instanceof Error ? error.message : 'erreur' });
    }
  }

  private token(req: IncomingMessage, res: ServerResponse, body: Buffer, contentType: string | undefined) {
    const creds = this.credentials;
    const basic = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return send(res, 401, { errors: [{ code: 'CLIENT_ERROR', message: 'Authentication failed' }] });
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) return send(res, 400, { errors: [{ code: 'CLIENT_ERROR', message: 'Invalid content type' }] });
    const form = new URLSearchParams(body.toString('utf8'));
    this.requests.push({ method: 'POST', path: '/token', contentType, body: Object.fromEntries(form) });
    const grant = form.get('grant_type');
    if (grant !== 'password' && grant !== 'client_credentials') return send(res, 400, { errors: [{ code: 'CLIENT_ERROR', message: 'Invalid grant type parameter' }] });
    if (grant === 'password' && (form.get('username') !== creds.username || form.get('password') !== creds.password)) {
      return send(res, 401, { errors: [{ code: 'CLIENT_ERROR', message: 'Authentication failed' }] });
    }
    const token = randomUUID();
    this.tokens.add(token);
    return send(res, 200, { access_token: token, expires_in: String(this.options.tokenSeconds ?? 3600) });
  }

  private async route(method: string, api: Api, path: string, url: URL, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const json = () => (raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {});
    if (path === '/sendings' && method === 'POST') return this.createSending(api, json(), res);
    if (path === '/sendings' && method === 'GET') {
      const start = Math.max(1, Number(url.searchParams.get('start_index') ?? 1));
      const count = Math.min(500, Math.max(1, Number(url.searchParams.get('count') ?? 50)));
      const all = [...this.sendings.values()].filter((s) => s.api === api).reverse();
      return send(res, 200, { sendings: all.slice(start - 1, start - 1 + count).map((s) => this.sendingView(s)), paging: { total_results: all.length } });
    }
    const m = /^\/sendings\/([^/]+)(\/.*)?$/.exec(path);
    const sending = m ? this.sendings.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !sending || sending.api !== api) return send(res, 404, { code: 'SENDING_NOT_FOUND', message: "L'envoi est introuvable" });
    const rest = m[2] ?? '';
    if (rest === '' && method === 'GET') return send(res, 200, this.sendingView(sending));
    if (rest === '/documents' && method === 'POST') return this.addDocument(sending, req, raw, res);
    if (rest === '/documents' && method === 'GET') return send(res, 200, { documents: sending.documents.map(documentView), paging: { total_results: sending.documents.length } });
    if (rest === '/recipients' && method === 'POST') return this.addRecipient(sending, json(), res);
    if (rest === '/recipients' && method === 'GET') return send(res, 200, { recipients: sending.recipients.map((r) => recipientView(r)), paging: { total_results: sending.recipients.length } });
    if (rest === '/submit' && method === 'POST') return this.submit(sending, res);
    if (rest === '/download_deposit_proof' && method === 'GET' && api === 'registered_mail') {
      if (!sending.depositProofDate) return send(res, 404, { code: 'DEPOSIT_PROOF_NOT_FOUND', message: 'Preuve de dépôt indisponible' });
      return sendZip(res, 'preuve-de-depot.pdf', await proofPdf('Preuve de dépôt', sending, sending.recipients[0], this.now()));
    }
    const r = /^\/recipients\/([^/]+)(\/.*)?$/.exec(rest);
    const recipient = r ? sending.recipients.find((x) => x.id === decodeURIComponent(r[1]!)) : undefined;
    if (!r || !recipient) return send(res, 404, { code: 'RECIPIENT_NOT_FOUND', message: 'Destinataire introuvable' });
    const sub = r[2] ?? '';
    if (sub === '' && method === 'GET') return send(res, 200, recipientView(recipient));
    if (sub === '/delivery_statuses' && method === 'GET') return send(res, 200, { delivery_statuses: recipient.deliveryStatuses, paging: { total_results: recipient.deliveryStatuses.length } });
    if (sub === '/download_archive' && method === 'GET') {
      if (!recipient.archiveDate) return send(res, 404, { code: 'ARCHIVE_NOT_FOUND', message: 'Archive indisponible' });
      return sendZip(res, 'archive.pdf', sending.documents[0]?.bytes ?? (await proofPdf('Archive', sending, recipient, this.now())));
    }
    if (sub === '/download_acknowledgement_of_receipt' && method === 'GET' && api === 'registered_mail') {
      if (!recipient.acknowledgementDate) return send(res, 404, { code: 'ACKNOWLEDGEMENT_NOT_FOUND', message: 'Avis de réception indisponible' });
      return sendZip(res, 'avis-de-reception.pdf', await proofPdf('Avis de réception', sending, recipient, this.now()));
    }
    return send(res, 404, { code: 'NOT_FOUND', message: 'Ressource inconnue' });
  }

  private createSending(api: Api, body: Record<string, unknown>, res: ServerResponse) {
    const errors: { code: string; message: string }[] = [];
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 256) errors.push({ code: 'NAME_INVALID', message: "Le nom de l'envoi est obligatoire" });
    if (api === 'registered_mail' && typeof body.notification_email !== 'string') errors.push({ code: 'NOTIFICATION_EMAIL_MISSING', message: "L'e-mail de notification est obligatoire" });
    if (body.custom_id !== undefined && (typeof body.custom_id !== 'string' || body.custom_id.length > 38)) errors.push({ code: 'CUSTOM_ID_WRONG_FORMAT', message: "Le custom id n'est pas au bon format" });
    if (errors.length > 0) return send(res, 400, { errors });
    const sending: FakeSending = {
      api,
      id: randomUUID(),
      // Upstream defaults, as the files say (colour and duplex on): a client that omits them gets colour.
      body: { color_printing: true, duplex_printing: true, ...body },
      status: 'DRAFT',
      creationDate: this.now(),
      step: 0,
      documents: [],
      recipients: [],
    };
    this.sendings.set(sending.id, sending);
    res.setHeader('location', `${this.baseUrl}/${api}/v2/sendings/${sending.id}`);
    return send(res, 201, this.sendingView(sending));
  }

  private async addDocument(sending: FakeSending, req: IncomingMessage, raw: Buffer, res: ServerResponse) {
    if (sending.status !== 'DRAFT') return send(res, 400, { errors: [{ code: 'SENDING_NOT_DRAFT', message: "L'envoi n'est plus modifiable" }] });
    if (sending.documents.length >= 30) return send(res, 400, { errors: [{ code: 'TOO_MANY_DOCUMENTS', message: '30 documents au plus' }] });
    const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData().catch(() => null);
    const file = form?.get('document');
    if (!form || !(file instanceof Blob)) return send(res, 400, { errors: [{ code: 'DOCUMENT_MISSING', message: 'Document absent (multipart « document »)' }] });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > 20 * 1024 * 1024) return send(res, 400, { errors: [{ code: 'DOCUMENT_TOO_LARGE', message: 'Le document dépasse 20 Mo' }] });
    let pagesCount: number;
    try {
      pagesCount = (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
    } catch {
      return send(res, 400, { errors: [{ code: 'DOCUMENT_TYPE_NOT_ACCEPTED', message: "Le type de document n'est pas accepté" }] });
    }
    const metadataPart = form.get('metadata');
    const metadata = (metadataPart ? JSON.parse(typeof metadataPart === 'string' ? metadataPart : await metadataPart.text()) : {}) as { priority?: number; name?: string };
    const document: FakeDocument = { id: randomUUID(), name: metadata.name ?? (file instanceof File ? file.name : 'document.pdf'), bytes, pagesCount, priority: metadata.priority ?? sending.documents.length + 1 };
    sending.documents.push(document);
    return send(res, 201, documentView(document));
  }

  private addRecipient(sending: FakeSending, body: Record<string, unknown>, res: ServerResponse) {
    if (sending.status !== 'DRAFT') return send(res, 400, { errors: [{ code: 'SENDING_NOT_DRAFT', message: "L'envoi n'est plus modifiable" }] });
    const errors: { code: string; message: string }[] = [];
    for (let n = 1; n <= 6; n++) {
      const line = body[`address_line_${n}`];
      if (typeof line === 'string' && line.length > ADDRESS_LINE_MAX) errors.push({ code: `ADDRESS_LINE_${n}_TOO_LONG`, message: `La ligne d'adresse n°${n} est limitée à 38 caractères` });
    }
    if (typeof body.address_line_6 !== 'string') errors.push({ code: 'EMPTY_ADDRESS_LINE_6', message: "La ligne d'adresse n°6 est obligatoire" });
    if (!body.address_line_1 && !body.address_line_2) errors.push({ code: 'EMPTY_ADDRESS_LINE_1_OR_ADDRESS_LINE_2', message: "La ligne d'adresse n°1 ou la ligne d'adresse n°2 doit être renseignée" });
    if (typeof body.country_code !== 'string' || !MAILEVA_COUNTRIES.includes(body.country_code)) errors.push({ code: 'COUNTRY_CODE_INVALID', message: 'Code pays invalide' });
    else if (body.country_code === 'FR' && typeof body.address_line_6 === 'string' && !/^\d{5} /.test(body.address_line_6)) {
      errors.push({ code: 'ADDRESS_LINE_6_WRONG_FORMAT', message: 'Le champ address_line_6 doit avoir le format [CODE_POSTAL] [VILLE]' });
    }
    if (errors.length > 0) return send(res, 400, { errors });
    const recipient: FakeRecipient = { id: randomUUID(), body, status: 'DRAFT', deliveryStatuses: [] };
    sending.recipients.push(recipient);
    return send(res, 201, recipientView(recipient));
  }

  private submit(sending: FakeSending, res: ServerResponse) {
    if (sending.status !== 'DRAFT') return send(res, 400, { errors: [{ code: 'SENDING_NOT_DRAFT', message: "L'envoi a déjà été soumis" }] });
    if (sending.documents.length === 0 || sending.recipients.length === 0) return send(res, 400, { errors: [{ code: 'SENDING_INCOMPLETE', message: 'Un document et un destinataire au moins' }] });
    const sheets = this.sheetsOf(sending);
    if (sheets > 45) return send(res, 400, { errors: [{ code: 'TOO_MANY_SHEETS', message: "Le nombre de feuilles dépasse la capacité de l'enveloppe" }] });
    sending.status = 'ACCEPTED';
    sending.submissionDate = this.now();
    for (const r of sending.recipients) r.status = 'PENDING';
    return send(res, 200, null);
  }

  private sheetsOf(sending: FakeSending): number {
    const pages = sending.documents.reduce((sum, d) => sum + d.pagesCount, 0);
    return (sending.body.duplex_printing === false ? pages : Math.ceil(pages / 2)) + 1;
  }

  private sendingView(s: FakeSending): Record<string, unknown> {
    const sheets = this.sheetsOf(s);
    return {
      id: s.id,
      name: s.body.name,
      ...(typeof s.body.custom_id === 'string' ? { custom_id: s.body.custom_id } : {}),
      status: s.status,
      creation_date: s.creationDate,
      ...(s.submissionDate ? { submission_date: s.submissionDate } : {}),
      ...(s.processedDate ? { processed_date: s.processedDate } : {}),
      ...(s.archiveDate ? { archive_date: s.archiveDate } : {}),
      ...(s.depositProofDate ? { deposit_proof_date: s.depositProofDate, deposit_proof_url: `${this.baseUrl}/${s.api}/v2/sendings/${s.id}/download_deposit_proof` } : {}),
      documents_count: s.documents.length,
      pages_count: s.documents.reduce((sum, d) => sum + d.pagesCount, 0),
      sheets_count: sheets,
      color_printing: s.body.color_printing,
      duplex_printing: s.body.duplex_printing,
      envelope_type: sheets <= 5 ? 'DL' : 'C4',
      ...(s.api === 'registered_mail' ? { acknowledgement_of_receipt: s.body.acknowledgement_of_receipt ?? true } : {}),
      recipients_counts: { draft: s.recipients.filter((r) => r.status === 'DRAFT').length, pending: s.recipients.filter((r) => r.status === 'PENDING').length },
    };
  }
}

function documentView(d: FakeDocument) {
  return { id: d.id, name: d.name, priority: d.priority, type: 'application/pdf', size: d.bytes.length, pages_count: d.pagesCount };
}

function recipientView(r: FakeRecipient): Record<string, unknown> {
  const last = r.deliveryStatuses.at(-1);
  return {
    ...r.body,
    id: r.id,
    status: r.status,
    ...(last ? { last_delivery_status: last.status, last_delivery_status_date: last.date } : {}),
    ...(r.postagePrice !== undefined ? { postage_price: r.postagePrice } : {}),
    ...(r.registeredNumber ? { registered_number: r.registeredNumber } : {}),
    ...(r.archiveDate ? { archive_date: r.archiveDate } : {}),
    ...(r.acknowledgementDate ? { acknowledgement_of_receipt_archive_date: r.acknowledgementDate } : {}),
  };
}

async function proofPdf(title: string, sending: FakeSending, recipient: FakeRecipient | undefined, at: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  const lines = [
    `${title} (simulation locale de Maileva)`,
    `Envoi ${sending.id}`,
    ...(recipient?.registeredNumber ? [`Recommandé n° ${recipient.registeredNumber}`] : []),
    ...[1, 2, 3, 4, 5, 6].map((n) => recipient?.body[`address_line_${n}`]).filter((l): l is string => typeof l === 'string'),
    `Le ${at}`,
  ];
  lines.forEach((line, index) => page.drawText(line.replace(/[^\x20-\x7E\u00A0-\u00FF]/g, '?'), { x: 50, y: 780 - index * 18, size: index === 0 ? 14 : 11, font }));
  return pdf.save();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === null ? '' : JSON.stringify(body));
}

function sendZip(res: ServerResponse, name: string, pdf: Uint8Array) {
  const zip = zipSync({ [name]: pdf });
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zip.length) });
  res.end(Buffer.from(zip));
}

/** A plain PDF of `pages` pages with a line of text on each: letters for tests and the demo. */
export async function samplePdf(pages: number, text = 'Courrier'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) pdf.addPage([595, 842]).drawText(`${text} - page ${i + 1}`, { x: 50, y: 780, size: 12, font });
  return pdf.save();
}

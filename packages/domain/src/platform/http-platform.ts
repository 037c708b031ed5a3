import { createHash } from 'node:crypto';
import {
  isPlatformStatusCode,
  PlatformError,
  type InvoicePlatform,
  type PlatformDeposit,
  type PlatformStatusEntry,
  type PlatformSubmission,
} from '../platform/platform-port.ts';

/**
 * The JSON API the CRM speaks to an approved platform, in the spirit of AFNOR XP Z12-013
 * (a compatible solution deposits a file and follows its lifecycle):
 *
 *   POST {base}/v1/invoices        Authorization: Bearer <key>, Idempotency-Key: <key>
 *        { invoiceNumber, fileName, format: "CII", contentBase64, sha256 }
 *     201 (or 200 for a repeat of the same key)
 *        { platformId, receipt: { receiptId, receivedAt, sha256 }, statuses: [{ code, at, reason }] }
 *     4xx { error: { code, message } } refused; 5xx unavailable
 *   GET  {base}/v1/invoices/{platformId}/statuses
 *     200 { platformId, statuses: [{ code, at, reason }] }
 *
 * A reply without a receipt, or whose receipt's sha256 is not that of the bytes sent, is an
 * error: nothing is transmitted without the platform's receipt.
 */
export class HttpPlatform implements InvoicePlatform {
  readonly name: string;
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.name = new URL(this.base).host;
  }

  async submit(submission: PlatformSubmission): Promise<PlatformDeposit> {
    const sha256 = createHash('sha256').update(submission.xml).digest('hex');
    const body = await this.call('POST', '/v1/invoices', {
      headers: { 'content-type': 'application/json', 'idempotency-key': submission.idempotencyKey },
      body: JSON.stringify({
        invoiceNumber: submission.invoiceNumber,
        fileName: submission.fileName,
        format: 'CII',
        contentBase64: Buffer.from(submission.xml).toString('base64'),
        sha256,
      }),
    });
    const reply = body as { platformId?: unknown; receipt?: { receiptId?: unknown; receivedAt?: unknown; sha256?: unknown }; statuses?: unknown };
    const receipt = reply.receipt;
    if (typeof reply.platformId !== 'string' || !receipt || typeof receipt.receiptId !== 'string' || typeof receipt.receivedAt !== 'string') {
      throw new PlatformError('Réponse de la plateforme sans accusé de dépôt', null);
    }
    if (receipt.sha256 !== sha256) throw new PlatformError('Accusé de dépôt pour un autre fichier (empreinte différente)', null);
    return { platformId: reply.platformId, receipt: { receiptId: receipt.receiptId, receivedAt: receipt.receivedAt, sha256 }, statuses: parseStatuses(reply.statuses) };
  }

  async statuses(platformId: string): Promise<PlatformStatusEntry[]> {
    const body = (await this.call('GET', `/v1/invoices/${encodeURIComponent(platformId)}/statuses`, {})) as { statuses?: unknown };
    return parseStatuses(body.statuses);
  }

  private async call(method: string, path: string, init: { headers?: Record<string, string>; body?: string }): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { accept: 'application/json', authorization: `Bearer ${this.apiKey}`, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PlatformError(`Plateforme injoignable (${error instanceof Error ? error.message : String(error)})`, null);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
      const kind = response.status >= 500 ? 'indisponible' : 'refus';
      throw new PlatformError(`Plateforme (${kind}, HTTP ${response.status}) : ${typeof message === 'string' ? message.slice(0, 300) : 'sans détail'}`, response.status);
    }
    if (json === null || typeof json !== 'object') throw new PlatformError('Réponse illisible de la plateforme', response.status);
    return json;
  }
}

function parseStatuses(value: unknown): PlatformStatusEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): PlatformStatusEntry[] => {
    const e = entry as { code?: unknown; at?: unknown; reason?: unknown };
    const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : '';
    if (!isPlatformStatusCode(code) || typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) return [];
    return [{ code, at: new Date(e.at).toISOString(), reason: typeof e.reason === 'string' ? e.reason.slice(0, 500) : null }];
  });
}

/**
 * The platform of this process: `PA_URL` and `PA_API_KEY`. Without `PA_URL` (the embedded
 * default) there is none, and submitting answers "aucune plateforme configurée".
 */
export function platformFromEnv(env: Record<string, string | undefined>): InvoicePlatform | null {
  const url = env.PA_URL?.trim();
  if (!url) return null;
  const key = env.PA_API_KEY?.trim();
  if (!key) throw new Error('PA_URL is set but PA_API_KEY is not');
  return new HttpPlatform(url, key);
}

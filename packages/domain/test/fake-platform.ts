import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local approved platform (PA) for tests: a real HTTP server in the test process speaking the
// API of packages/domain/src/einvoicing/http-platform.ts. It checks the API key, keeps deposits
// by Idempotency-Key (a repeat answers the first deposit, 200), gives a receipt with the sha256
// of the bytes it decoded, and lets the test move an invoice's lifecycle (`advance`) or make the
// next calls fail (`failNext`).

interface Deposit {
  platformId: string;
  invoiceNumber: string;
  sha256: string;
  receipt: { receiptId: string; receivedAt: string; sha256: string };
  statuses: { code: string; at: string; reason: string | null }[];
}

export interface FakePlatform {
  url: string;
  apiKey: string;
  deposits: Map<string, Deposit>;
  /** POST requests received (repeats included). */
  submissions: number;
  advance(platformId: string, code: string, at: string, reason?: string): void;
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startFakePlatform(apiKey = 'pa-test-key'): Promise<FakePlatform> {
  const byKey = new Map<string, Deposit>();
  const deposits = new Map<string, Deposit>();
  let failures: { status: number; times: number } | null = null;
  let counter = 0;
  const state = { submissions: 0 };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { error: { code: 'unauthorized', message: 'Clé d’API invalide' } });
      if (failures && failures.times > 0) {
        failures.times--;
        return send(res, failures.status, { error: { code: 'unavailable', message: 'Service momentanément indisponible' } });
      }
      const url = new URL(req.url ?? '/', 'http://pa.test');
      if (req.method === 'POST' && url.pathname === '/v1/invoices') {
        state.submissions++;
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || key === '') return send(res, 400, { error: { code: 'idempotency_key', message: 'Idempotency-Key requis' } });
        const known = byKey.get(key);
        if (known) return send(res, 200, { platformId: known.platformId, receipt: known.receipt, statuses: known.statuses });
        const input = JSON.parse(body) as { invoiceNumber?: string; format?: string; contentBase64?: string; sha256?: string };
        const bytes = Buffer.from(input.contentBase64 ?? '', 'base64');
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (input.format !== 'CII' || !input.invoiceNumber || !bytes.toString('utf8').includes('CrossIndustryInvoice')) {
          return send(res, 422, { error: { code: 'invalid_invoice', message: 'Fichier CII illisible' } });
        }
        if (sha256 !== input.sha256) return send(res, 422, { error: { code: 'sha256', message: 'Empreinte différente du fichier reçu' } });
        counter++;
        const receivedAt = new Date(Date.UTC(2026, 2, 2, 10, 0, counter)).toISOString();
        const deposit: Deposit = {
          platformId: `PA-${String(counter).padStart(6, '0')}`,
          invoiceNumber: input.invoiceNumber,
          sha256,
          receipt: { receiptId: `AR-${String(counter).padStart(6, '0')}`, receivedAt, sha256 },
          statuses: [{ code: '200', at: receivedAt, reason: null }],
        };
        byKey.set(key, deposit);
        deposits.set(deposit.platformId, deposit);
        return send(res, 201, { platformId: deposit.platformId, receipt: deposit.receipt, statuses: deposit.statuses });
      }
      const match = /^\/v1\/invoices\/([^/]+)\/statuses$/.exec(url.pathname);
      if (req.method === 'GET' && match) {
        const deposit = deposits.get(decodeURIComponent(match[1]!));
        if (!deposit) return send(res, 404, { error: { code: 'not_found', message: 'Facture inconnue' } });
        return send(res, 200, { platformId: deposit.platformId, statuses: deposit.statuses });
      }
      return send(res, 404, { error: { code: 'not_found', message: 'Route inconnue' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    deposits,
    get submissions() {
      return state.submissions;
    },
    advance(platformId, code, at, reason) {
      deposits.get(platformId)!.statuses.push({ code, at, reason: reason ?? null });
    },
    failNext(status, times = 1) {
      failures = { status, times };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

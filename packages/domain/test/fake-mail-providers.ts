import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// oidc-provider ships no types; the few members used here are typed below.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- untyped module
import Provider from 'oidc-provider';
import { MAIL_CONNECT_RETURN_PATH, type MailAccountsConfig, type MailKeyring } from '../src/index.ts';

// Local stand-ins for Google and Microsoft (issue 15 §2, french-rules.md §6): a real OAuth 2.0 /
// OpenID Connect authorization server (oidc-provider: authorization code + PKCE required,
// refresh tokens rotated on every use, a spent one refused with invalid_grant), and on the same
// port HTTP fakes of the Gmail API (POST /gmail/v1/users/me/messages/send, `raw` RFC 822 in
// base64url) and Microsoft Graph (POST /v1.0/me/sendMail, 202): each checks the request as the
// real API would (path, bearer token issued by this server with the send scope, body shape) and
// keeps what it accepted.

export const GMAIL_SEND_SCOPE = 'https://www.googleapis.com/auth/gmail.send';

interface OidcProvider {
  callback(): (req: IncomingMessage, res: unknown) => void;
  interactionDetails(req: IncomingMessage, res: unknown): Promise<{ uid: string; params: Record<string, string> }>;
  interactionFinished(req: IncomingMessage, res: unknown, result: unknown, options: unknown): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
  AccessToken: { find(token: string): Promise<{ scope?: string; accountId: string; isExpired?: boolean } | undefined> };
}

export interface SentThroughApi {
  api: 'gmail' | 'graph';
  account: string;
  /** Gmail: the decoded RFC 822 message; Graph: the JSON `message`. */
  raw?: string;
  message?: { subject: string; body: { contentType: string; content: string }; toRecipients: { emailAddress: { address: string } }[]; attachments?: { name: string; contentBytes: string }[] };
}

export interface FakeMailProviders {
  base: string;
  /** The account the next authorization logs in as (the address the ID token gives). */
  signInAs(email: string): void;
  /** The provider stops accepting this account's grants: its refresh tokens get invalid_grant. */
  revoke(email: string): void;
  sent: SentThroughApi[];
  /** Requests refused by the API fakes (status and why), for assertions. */
  refused: { status: number; why: string }[];
  tokenRequests: number;
  config(keyring: MailKeyring | null, appUrl: string): MailAccountsConfig;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startFakeMailProviders(appUrl: string): Promise<FakeMailProviders> {
  let next = 'someone@example.test';
  const revoked = new Set<string>();
  const sent: SentThroughApi[] = [];
  const refused: { status: number; why: string }[] = [];
  let tokenRequests = 0;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${appUrl}${MAIL_CONNECT_RETURN_PATH}`;
  const client = (id: string) => ({
    client_id: id,
    client_secret: `${id}-secret`,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const provider = new (Provider as new (issuer: string, config: unknown) => OidcProvider)(base, {
    clients: [client('google-client'), client('microsoft-client')],
    scopes: ['openid', 'email', 'offline_access', GMAIL_SEND_SCOPE, 'Mail.Send'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    issueRefreshToken: () => true,
    rotateRefreshToken: () => true,
    findAccount: (_ctx: unknown, sub: string) =>
      revoked.has(sub) ? undefined : { accountId: sub, claims: () => ({ sub, email: sub, email_verified: true }) },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['fake-provider-cookie-key'] },
  });
  const oidc = provider.callback();

  /** The bearer's access token, issued here with `scope`; why not otherwise. */
  async function bearer(req: IncomingMessage, scope: string): Promise<{ account: string } | { status: number; why: string }> {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) return { status: 401, why: 'no bearer token' };
    const token = await provider.AccessToken.find(match[1]!);
    if (!token || token.isExpired) return { status: 401, why: 'unknown or expired access token' };
    if (!(token.scope ?? '').split(' ').includes(scope)) return { status: 403, why: `token lacks ${scope}` };
    if (revoked.has(token.accountId)) return { status: 401, why: 'grant revoked' };
    return { account: token.accountId };
  }

  const refuse = (res: ServerResponse, status: number, why: string) => {
    refused.push({ status, why });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: status, message: why, status: status === 401 ? 'UNAUTHENTICATED' : 'INVALID_ARGUMENT' } }));
  };

  server.on('request', (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname.startsWith('/interaction/')) {
        // The user signs in as `next` and consents to everything asked (no screens: a test drives it).
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: next, clientId: details.params.client_id! });
        grant.addOIDCScope(details.params.scope ?? '');
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: next }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      if (url.pathname === '/gmail/v1/users/me/messages/send') {
        if (req.method !== 'POST') return refuse(res, 405, 'POST only');
        const who = await bearer(req, GMAIL_SEND_SCOPE);
        if ('status' in who) return refuse(res, who.status, who.why);
        if (!/^application\/json/.test(req.headers['content-type'] ?? '')) return refuse(res, 400, 'JSON body expected');
        const body = JSON.parse(await readBody(req)) as { raw?: unknown };
        if (typeof body.raw !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(body.raw)) return refuse(res, 400, 'raw must be base64url');
        const raw = Buffer.from(body.raw, 'base64url').toString('utf8');
        // Gmail sends as the authenticated user: a From of another address is refused here.
        const from = /^From: (.*)$/im.exec(raw)?.[1] ?? '';
        if (!from.includes(who.account)) return refuse(res, 400, `From ${from} is not ${who.account}`);
        if (!/^To: /im.test(raw) || !/^Subject: /im.test(raw)) return refuse(res, 400, 'To and Subject required');
        sent.push({ api: 'gmail', account: who.account, raw });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `gm${sent.length}`, threadId: `th${sent.length}`, labelIds: ['SENT'] }));
        return;
      }
      if (url.pathname === '/v1.0/me/sendMail') {
        if (req.method !== 'POST') return refuse(res, 405, 'POST only');
        const who = await bearer(req, 'Mail.Send');
        if ('status' in who) return refuse(res, who.status, who.why);
        const body = JSON.parse(await readBody(req)) as { message?: SentThroughApi['message']; saveToSentItems?: unknown };
        const m = body.message;
        if (!m || typeof m.subject !== 'string' || !m.body || !['Text', 'HTML'].includes(m.body.contentType) || !Array.isArray(m.toRecipients) || m.toRecipients.some((r) => typeof r.emailAddress?.address !== 'string')) {
          return refuse(res, 400, 'ErrorInvalidRequest: message shape');
        }
        sent.push({ api: 'graph', account: who.account, message: m });
        res.writeHead(202, { 'request-id': `req-${sent.length}` }).end();
        return;
      }
      if (url.pathname === '/token') tokenRequests++;
      oidc(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });

  return {
    base,
    signInAs: (email) => {
      next = email;
    },
    revoke: (email) => revoked.add(email),
    sent,
    refused,
    get tokenRequests() {
      return tokenRequests;
    },
    config: (keyring, app) => ({
      keyring,
      google: { authorizeUrl: `${base}/auth`, tokenUrl: `${base}/token`, clientId: 'google-client', clientSecret: 'google-client-secret', apiUrl: base },
      microsoft: { authorizeUrl: `${base}/auth`, tokenUrl: `${base}/token`, clientId: 'microsoft-client', clientSecret: 'microsoft-client-secret', apiUrl: `${base}/v1.0` },
      redirectUri: `${app}${MAIL_CONNECT_RETURN_PATH}`,
    }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Follows an authorize URL as a browser would (cookies, redirects) to the return page: its code and state. */
export async function authorizeInBrowserless(authorizeUrl: string, redirectUri: string): Promise<{ code: string; state: string }> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorization stopped at ${url}: ${response.status} ${await response.text()}`);
    const target = new URL(location, url);
    if (target.href.startsWith(redirectUri)) {
      const error = target.searchParams.get('error');
      if (error) throw new Error(`authorization refused: ${error} ${target.searchParams.get('error_description') ?? ''}`);
      return { code: target.searchParams.get('code')!, state: target.searchParams.get('state')! };
    }
    url = target.href;
  }
  throw new Error('too many redirects');
}

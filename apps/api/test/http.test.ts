import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { TEST_JWT_SECRET, testAuthDeps, uniqueEmail, uniqueIp } from '@crm/domain/testing';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, REFRESH_COOKIE } from '../src/app.ts';

// The API over real HTTP: what a browser or an attacker actually sends.
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});
let server: Server;
let base: string;
const services = { ...testAuthDeps(), mailCapture: true };
const WEB_ORIGIN = 'http://web.example.test';

beforeAll(async () => {
  const app = createApp({
    services,
    log: pino({ level: 'info' }, sink),
    readiness: [{ name: 'database', check: async () => void (await services.db.$queryRaw`select 1`) }],
    webOrigin: WEB_ORIGIN,
    secureCookies: false,
    maxBodyBytes: 100_000,
    // The tests stand for a reverse proxy on loopback: each person comes from an address of their own.
    trustProxy: ['loopback'],
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json().catch(() => null)) as any };
}
const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}/trpc/${path}`, { headers });
  return { status: response.status, json: (await response.json()) as any };
};

/** Signs a new person up over HTTP and follows the link of the mail the app captured, as a person does. */
async function signUp() {
  const email = uniqueEmail('http');
  const password = 'a long enough password';
  const from = { 'x-forwarded-for': uniqueIp() };
  const asked = await post('auth.signUp', { name: 'Léa Http', email, password, organisationName: 'Http SARL' }, from);
  expect(asked.status).toBe(200);
  expect(asked.json.result.data).toEqual({ ok: true });
  expect(asked.headers.get('set-cookie')).toBeNull();
  const mails = await get(`capturedMails.list?input=${encodeURIComponent(JSON.stringify({ to: email }))}`);
  const token = (mails.json.result.data[0].link as string).split('#')[1];
  const res = await post('auth.verifyEmail', { token }, from);
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  return { email, password, token: res.json.result.data.accessToken as string, cookie, refresh: cookie.split(';')[0]! };
}

describe('health', () => {
  it('answers /health and /ready with security headers and a request id', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(health.headers.get('x-powered-by')).toBeNull();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    const echoed = await fetch(`${base}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
  });

  it('allows CORS for the web origin only', async () => {
    const allowed = await fetch(`${base}/trpc/health.ping`, { method: 'OPTIONS', headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await fetch(`${base}/trpc/health.ping`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('sessions over HTTP', () => {
  it('puts the refresh token in an httpOnly SameSite cookie, never in the body', async () => {
    const { cookie } = await signUp();
    expect(cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/trpc/);
  });

  it('refreshes with the cookie, refuses the replayed one and revokes the family', async () => {
    const { refresh } = await signUp();
    const first = await post('auth.refresh', {}, { cookie: refresh });
    expect(first.status).toBe(200);
    const next = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const replay = await post('auth.refresh', {}, { cookie: refresh });
    expect(replay.status).toBe(401);
    const afterTheft = await post('auth.refresh', {}, { cookie: next });
    expect(afterTheft.status).toBe(401);
  });

  it('me works with the access token; logout clears the cookie and kills the refresh token', async () => {
    const { token, refresh, email } = await signUp();
    const me = await get('auth.me', { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.json.result.data.user.email).toBe(email);
    const out = await post('auth.logOut', {}, { authorization: `Bearer ${token}` });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`${REFRESH_COOKIE}=;`));
    expect((await post('auth.refresh', {}, { cookie: refresh })).status).toBe(401);
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  it('malformed JSON', async () => {
    const res = await post('auth.logIn', '{"email": "a@b.fr", ');
    expect(res.status).toBe(400);
  });

  it('wrong types and unknown fields, with field errors', async () => {
    const wrong = await post('auth.signUp', { name: 42, email: 'not-an-email', password: 'short', organisationName: '' });
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.json.error.data.fieldErrors).sort()).toEqual(['email', 'name', 'organisationName', 'password']);
    expect(wrong.json.error.data.fieldErrors.password[0]).toMatch(/au moins 10 caractères/);
    const unknown = await post('auth.logIn', { email: 'a@b.fr', password: 'x', isAdmin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.data.fieldErrors['']).toBeDefined();
  });

  it('an oversized body', async () => {
    const res = await post('auth.logIn', { email: 'a@b.fr', password: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
  });

  it('forged, expired, alg:none and wrong-audience tokens', async () => {
    const { token } = await signUp();
    const [header, payload] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, tid: '01900000-0000-7000-8000-000000000000' })).toString('base64url')}.${token.split('.')[2]}`;
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(48)));
    const otherAudience = await new SignJWT({ ...claims, aud: 'another-app' }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const expired = await new SignJWT({ ...claims, iat: 1_000, exp: 2_000 }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(secret);
    for (const bad of [none, tampered, otherKey, otherAudience, expired, hs512, 'garbage']) {
      const res = await get('auth.me', { authorization: `Bearer ${bad}` });
      expect(res.status).toBe(401);
    }
    expect((await get('auth.me', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('a flood of bad logins is throttled with 429 and a Retry-After hint', async () => {
    const { email } = await signUp();
    const from = { 'x-forwarded-for': uniqueIp() };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post('auth.logIn', { email, password: `wrong ${i}` }, from)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const throttled = await post('auth.logIn', { email, password: 'wrong again' }, from);
    expect(throttled.status).toBe(429);
    expect(throttled.json.error.data.retryAfter).toBeGreaterThan(0);
  });

  it('an unknown route', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await get('nope.nothing')).status).toBe(404);
  });
});

describe('client export', () => {
  it('streams the tenant clients as CSV for French Excel, formulas neutralised, other tenants unseen', async () => {
    const a = await signUp();
    const b = await signUp();
    const create = (token: string, body: object) => post('clients.create', body, { authorization: `Bearer ${token}` });
    expect((await create(a.token, { kind: 'company', companyName: "=cmd|' /C calc'!A0", tags: ['vip'] })).status).toBe(200);
    expect((await create(a.token, { kind: 'person', firstName: 'Zoé', lastName: 'Dupré', email: 'zoe@example.test' })).status).toBe(200);
    expect((await create(b.token, { kind: 'person', lastName: 'Autre', email: 'autre@example.test' })).status).toBe(200);
    const res = await fetch(`${base}/exports/clients.csv?sort=name`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
    const csv = bytes.subarray(3).toString('utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('"Nom";"Type";"Email";"Téléphone";"Ville";"Statut";"Étiquettes";"Créé le"');
    expect(lines).toHaveLength(3);
    expect(csv).toContain(`"'=cmd|' /C calc'!A0";"Entreprise"`);
    expect(csv).toContain('"DUPRÉ Zoé";"Particulier";"zoe@example.test"');
    expect(csv).not.toContain('autre@example.test');
    const filtered = await (await fetch(`${base}/exports/clients.csv?search=zoe`, { headers: { authorization: `Bearer ${a.token}` } })).text();
    expect(filtered.trim().split('\r\n')).toHaveLength(2);
  });

  it('needs a valid token and valid filters', async () => {
    const { token } = await signUp();
    expect((await fetch(`${base}/exports/clients.csv`)).status).toBe(401);
    expect((await fetch(`${base}/exports/clients.csv`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    expect((await fetch(`${base}/exports/clients.csv?status=nope`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });
});

describe('no input reaches a 500', () => {
  it('every procedure, fed garbage with and without a token, answers 4xx (or 200 where input is ignored)', async () => {
    const { procedureAccessList } = await import('@crm/trpc');
    const { token } = await signUp();
    const garbage: unknown[] = [null, 42, 'x', [], [1, 2], { a: { b: { c: [null] } } }, { email: 'x'.repeat(10_000) }, { memberId: "' OR 1=1 --" }, { token: '\u0000' }];
    const failures: string[] = [];
    for (const line of procedureAccessList()) {
      const [path, type] = line.split(/\s+/) as [string, string];
      if (path === 'auth.logOut') continue; // would end the session used by the others
      for (const withToken of [true, false]) {
        for (const input of garbage) {
          const headers: Record<string, string> = withToken ? { authorization: `Bearer ${token}` } : {};
          const res =
            type === 'query'
              ? await get(`${path}?input=${encodeURIComponent(JSON.stringify(input))}`, headers)
              : await post(path, input, headers);
          if (res.status >= 500) failures.push(`${path} ${JSON.stringify(input)} -> ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('logs', () => {
  it('carry request, user and tenant ids, and never a secret', async () => {
    const { token, password } = await signUp();
    await get('members.list', { authorization: `Bearer ${token}`, 'x-request-id': 'log-check-1' });
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => (l.req as { id?: string } | undefined)?.id === 'log-check-1');
    expect(line).toMatchObject({ tenantId: expect.any(String), userId: expect.any(String) });
    const all = logLines.join('\n');
    expect(all).not.toContain(password);
    expect(all).not.toContain(token);
    expect(all).not.toContain(`${REFRESH_COOKIE}=`);
  });
});

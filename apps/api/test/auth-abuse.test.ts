import { SIGN_UP_THROTTLE, THROTTLE } from '@crm/domain';
import { newTenant, testAuthDeps, uniqueEmail, uniqueIp } from '@crm/domain/testing';
import { MAX_BATCH_SIZE, procedureAccessList } from '@crm/trpc';
import { MAX_BATCH_ITEMS, UNBATCHED_PROCEDURES } from '../../web/src/lib/batching.ts';
import { describe, expect, it } from 'vitest';
import { useApiServer, type ApiServer } from './api-server.ts';

// Attacks on the public surface over real HTTP: parallel requests, batches, forged client IPs.
const services = { ...testAuthDeps(), mailCapture: true };
// A reverse proxy on loopback (the test) forwards each "person" with an address of their own.
const api = useApiServer(services, { trustProxy: ['loopback'] });

async function post(server: ApiServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.base()}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

/** A batched POST as httpBatchLink sends it: paths joined by commas, inputs keyed by index. */
async function batch(paths: string[], inputs: unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(`${api.base()}/trpc/${paths.join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(Object.fromEntries(inputs.map((input, i) => [String(i), input]))),
  });
  type Answer = { error?: { message: string; data: Record<string, unknown> } };
  const json = (await response.json()) as Answer | Answer[];
  const errors = (Array.isArray(json) ? json : [json]).flatMap((answer) => (answer.error ? [answer.error] : []));
  return { status: response.status, errors };
}

describe('the login throttle over HTTP', () => {
  it('checks only the limit of 30 parallel wrong passwords, and refuses the right one after them', async () => {
    const { email, password } = await newTenant(services);
    const from = { 'x-forwarded-for': uniqueIp() };
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(api, 'auth.logIn', { email, password: `wrong ${i}` }, from).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(THROTTLE.maxFailuresPerAccount);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - THROTTLE.maxFailuresPerAccount);
    const right = await post(api, 'auth.logIn', { email, password }, { 'x-forwarded-for': uniqueIp() });
    expect(right.status).toBe(429);
    expect(right.json.error.data.retryAfter).toBeGreaterThan(0);
  }, 60_000);
});

describe('batched requests', () => {
  it('refuse 40 logins in one request whole, before a single password is checked', async () => {
    const { email, password } = await newTenant(services);
    const inputs = Array.from({ length: 40 }, (_, i) => ({ email, password: i === 39 ? password : `wrong ${i}` }));
    const refused = await batch(Array(40).fill('auth.logIn'), inputs);
    expect(refused.status).toBe(400);
    expect(refused.errors[0]!.message).toBe(`Trop d'appels dans une même requête : ${MAX_BATCH_SIZE} au plus.`);
    // Within the size limit, a login still may not ride with other calls.
    const mixed = await batch(Array(3).fill('auth.logIn'), inputs.slice(37));
    expect(mixed.status).toBe(400);
    expect(mixed.errors.map((e) => e.message)).toEqual(Array(3).fill("auth.logIn ne peut pas être groupé avec d'autres appels : envoyez-le seul."));
    expect(mixed.errors[0]!.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    // No attempt was counted: the account is not blocked, the right password alone gets in.
    expect((await post(api, 'auth.logIn', { email, password }, { 'x-forwarded-for': uniqueIp() })).status).toBe(200);
  }, 60_000);

  it('refuse every public procedure beside another call, and let each through alone', async () => {
    const { session } = await newTenant(services);
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const signUpInput = { name: 'Batch', email: uniqueEmail('batch'), password: 'a long enough password', organisationName: 'B' };
    const cases: [string, unknown][] = [
      ['auth.signUp', signUpInput],
      ['auth.logIn', { email: uniqueEmail('x'), password: 'whatever' }],
      ['auth.refresh', {}],
      ['auth.verifyEmail', { token: 'x'.repeat(43) }],
      ['invitations.accept', { token: `${session.organisationId}.${'x'.repeat(43)}`, name: 'X', password: 'a long enough password' }],
    ];
    for (const [path, input] of cases) {
      const paired = await batch(['auth.switchOrganisation', path], [{ organisationId: session.organisationId }, input], auth);
      expect([path, paired.status, paired.errors[1]?.message]).toEqual([path, 400, `${path} ne peut pas être groupé avec d'autres appels : envoyez-le seul.`]);
      const twice = await batch([path, path], [input, input]);
      expect([path, twice.status]).toEqual([path, 400]);
    }
    expect(await services.db.systemMail.count({ where: { recipient: signUpInput.email } })).toBe(0);
    // A batch of one is a request of its own.
    const alone = await batch(['auth.signUp'], [signUpInput], { 'x-forwarded-for': uniqueIp() });
    expect([alone.status, alone.errors]).toEqual([200, []]);
    // Queries too: public ones alone, the others up to the limit.
    const pings = await fetch(`${api.base()}/trpc/health.ping,health.ping?batch=1`);
    expect(pings.status).toBe(400);
  }, 60_000);

  it(`carry at most ${MAX_BATCH_SIZE} calls, a GET of 1,000 included`, async () => {
    const { session } = await newTenant(services);
    const get = (count: number) =>
      fetch(`${api.base()}/trpc/${Array(count).fill('auth.me').join(',')}?batch=1`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect((await get(MAX_BATCH_SIZE)).status).toBe(200);
    const over = await get(MAX_BATCH_SIZE + 1);
    expect(over.status).toBe(400);
    expect(JSON.stringify(await over.json())).toContain(`Trop d'appels dans une même requête : ${MAX_BATCH_SIZE} au plus.`);
    expect((await get(1000)).status).toBe(400);
  });
});

describe('the web app', () => {
  it('never trips the batch rules: every public procedure alone, no more calls per batch than the API takes', () => {
    const publicProcedures = procedureAccessList()
      .filter((line) => / public$/.test(line))
      .map((line) => line.split(' ')[0]);
    expect([...UNBATCHED_PROCEDURES].sort()).toEqual(publicProcedures);
    expect(MAX_BATCH_ITEMS).toBeLessThanOrEqual(MAX_BATCH_SIZE);
  });
});

describe('sign-up over HTTP', () => {
  it('answers an address that has an account exactly as a new one: status, body, headers', async () => {
    const { email } = await newTenant(services);
    const ask = (address: string) =>
      post(api, 'auth.signUp', { name: 'Léa', email: address, password: 'a long enough password', organisationName: 'L' }, { 'x-forwarded-for': uniqueIp() });
    const known = await ask(email);
    const unknown = await ask(uniqueEmail('unknown'));
    const headers = (r: { headers: Headers }) => [...r.headers].filter(([name]) => !['date', 'x-request-id'].includes(name));
    expect([known.status, known.json, headers(known)]).toEqual([unknown.status, unknown.json, headers(unknown)]);
    expect(known.json).toEqual({ result: { data: { ok: true } } });
  });

  it(`is limited per IP to ${SIGN_UP_THROTTLE.limit} an hour, with a 429 and retryAfter like login's`, async () => {
    const from = { 'x-forwarded-for': uniqueIp() };
    const ask = () => post(api, 'auth.signUp', { name: 'Léa', email: uniqueEmail('quota'), password: 'a long enough password', organisationName: 'L' }, from);
    const statuses = await Promise.all(Array.from({ length: SIGN_UP_THROTTLE.limit }, () => ask().then((r) => r.status)));
    expect(statuses).toEqual(Array(SIGN_UP_THROTTLE.limit).fill(200));
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.json.error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(refused.json.error.data.retryAfter).toBeGreaterThan(0);
  }, 60_000);
});

describe('the captured mail (MAIL_CAPTURE)', () => {
  const production = useApiServer(testAuthDeps()); // mail capture off, as in production

  it('shows account mail when on, and does not exist when off', async () => {
    const email = uniqueEmail('catcher');
    const from = { 'x-forwarded-for': uniqueIp() };
    expect((await post(api, 'auth.signUp', { name: 'Léa', email, password: 'a long enough password', organisationName: 'L' }, from)).status).toBe(200);
    const query = `capturedMails.list?input=${encodeURIComponent(JSON.stringify({ to: email }))}`;
    const on = await fetch(`${api.base()}/trpc/${query}`);
    const mails = ((await on.json()) as { result: { data: { subject: string; link: string }[] } }).result.data;
    expect(mails.map((m) => m.subject)).toEqual(['Confirmez votre adresse pour activer votre compte']);
    expect(await (await fetch(`${api.base()}/trpc/capturedMails.enabled`)).json()).toEqual({ result: { data: { enabled: true } } });

    expect((await fetch(`${production.base()}/trpc/${query}`)).status).toBe(404);
    expect(await (await fetch(`${production.base()}/trpc/capturedMails.enabled`)).json()).toEqual({ result: { data: { enabled: false } } });
  });
});

describe('client IPs behind proxies (TRUST_PROXY)', () => {
  const oneHop = useApiServer(services, { trustProxy: 1 });

  /** The IP the API recorded for a fresh login of a fresh account, sent with this X-Forwarded-For. */
  async function recordedIp(server: ApiServer, forwardedFor: string): Promise<string | null> {
    const { email, password, userId } = await newTenant(services);
    const res = await post(server, 'auth.logIn', { email, password }, { 'x-forwarded-for': forwardedFor });
    expect(res.status).toBe(200);
    const family = await services.db.refreshTokenFamily.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: 'desc' } });
    return family.ip;
  }

  it('with one hop, take the address the proxy saw (right-most), whatever a client writes before it', async () => {
    const client = uniqueIp();
    expect(await recordedIp(oneHop, `6.6.6.6, ${client}`)).toBe(client);
    expect(await recordedIp(oneHop, `1.2.3.4, 5.6.7.8, ${client}`)).toBe(client);
  });

  it('with one hop, forged left-most addresses do not escape the per-IP sign-up limit', async () => {
    const client = uniqueIp();
    const ask = (i: number) =>
      post(oneHop, 'auth.signUp', { name: 'Forge', email: uniqueEmail('forge'), password: 'a long enough password', organisationName: 'F' }, {
        'x-forwarded-for': `198.51.100.${i}, ${client}`,
      });
    for (let i = 0; i < SIGN_UP_THROTTLE.limit; i++) expect((await ask(i)).status).toBe(200);
    expect((await ask(99)).status).toBe(429);
  }, 60_000);

  it('with proxy addresses, skip the trusted hops and take the right-most untrusted one', async () => {
    const client = uniqueIp();
    expect(await recordedIp(api, `6.6.6.6, ${client}`)).toBe(client);
    expect(await recordedIp(api, `${client}, 127.0.0.1`)).toBe(client);
  });
});

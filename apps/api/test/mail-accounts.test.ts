import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { withTenant } from '@crm/db';
import { decryptConnectionSecret, mailKeyringFrom, newMasterKeyText } from '@crm/domain';
import { newTenant, TEST_APP_URL, testAuthDeps } from '@crm/domain/testing';
import { authorizeInBrowserless, startFakeMailProviders, type FakeMailProviders } from '@crm/domain/testing/mail-providers';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

// Tokens never in logs or answers (issue 15 §2): the whole connection flow over HTTP, as the web
// app drives it (start, the provider's authorization, the return page's completion, the list,
// an SMTP account), with the API's log captured at its most verbose; then the refresh token the
// provider really issued (decrypted from the database) and the SMTP password are looked for in
// every log line and every answer.

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});
const keyring = mailKeyringFrom(newMasterKeyText());
let providers: FakeMailProviders;
let server: Server;
let base = '';
const answers: string[] = [];

beforeAll(async () => {
  providers = await startFakeMailProviders(TEST_APP_URL);
  const services = { ...testAuthDeps(), mailAccounts: providers.config(keyring, TEST_APP_URL) };
  const app = createApp({ services, log: pino({ level: 'trace' }, sink), readiness: [], webOrigin: TEST_APP_URL, secureCookies: false });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await providers.close();
});

async function call<T>(token: string, path: string, input: unknown, method: 'GET' | 'POST' = 'POST'): Promise<T> {
  const url = `${base}/trpc/${path}${method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`;
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(input) } : {}) });
  const text = await response.text();
  answers.push(text);
  const json = JSON.parse(text) as { result?: { data: T }; error?: unknown };
  if (!json.result) throw new Error(`${path}: ${text}`);
  return json.result.data;
}

describe('connecting mail accounts through the API', () => {
  it('never puts a refresh token or an SMTP password in a log line or an answer', { timeout: 60_000 }, async () => {
    const deps = testAuthDeps();
    const { session, tenantId, userId, email } = await newTenant(deps, 'Jetons SARL');
    const token = session.accessToken;
    providers.signInAs(`google.${email}`);
    const before = await call<{ available: { google: boolean; microsoft: boolean; encryption: boolean } }>(token, 'mailAccounts.list', null, 'GET');
    expect(before.available).toEqual({ encryption: true, google: true, microsoft: true });
    const { authorizeUrl } = await call<{ authorizeUrl: string }>(token, 'mailAccounts.startConnection', { provider: 'google' });
    const answer = await authorizeInBrowserless(authorizeUrl, `${TEST_APP_URL}/parametres/messagerie/retour`);
    const connected = await call<{ id: string; email: string; status: string }>(token, 'mailAccounts.completeConnection', answer);
    expect(connected).toMatchObject({ email: `google.${email}`, status: 'active' });
    // The same return page reloaded: a clear refusal, nothing more.
    const replay = await fetch(`${base}/trpc/mailAccounts.completeConnection`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(answer) });
    expect(replay.status).toBe(400);
    answers.push(await replay.text());
    const smtpPassword = 'Known-Smtp-Password-7f3a9c';
    await call(token, 'mailAccounts.connectSmtp', { email: `smtp.${email}`, host: 'smtp.example.test', port: 587, secure: false, username: 'compta', password: smtpPassword });
    await call(token, 'mailAccounts.setSender', { connectionId: connected.id });
    const list = await call<{ connections: { email: string; isSender: boolean }[] }>(token, 'mailAccounts.list', null, 'GET');
    expect(list.connections.map((c) => [c.email, c.isSender])).toEqual([[`google.${email}`, true], [`smtp.${email}`, false]]);

    // The refresh token the authorization server issued, as stored (decrypted here only).
    const refreshToken = await withTenant(deps.db, tenantId, async (tx) => {
      const row = await tx.mailConnection.findUniqueOrThrow({ where: { id: connected.id } });
      return decryptConnectionSecret(tx, keyring, { tenantId, userId, connectionId: row.id }, row.secret);
    });
    expect(refreshToken.length).toBeGreaterThan(20);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logLines.length).toBeGreaterThan(5);
    const everything = [...logLines, ...answers].join('\n');
    for (const secret of [refreshToken, smtpPassword]) {
      expect(everything.includes(secret), 'a secret in a log line or an answer').toBe(false);
      expect(everything.includes(Buffer.from(secret).toString('base64')), 'a secret, base64, in a log line or an answer').toBe(false);
    }
  });
});

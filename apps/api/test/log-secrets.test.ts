import { mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { newTenant, testAuthDeps } from '@crm/domain/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loggedUrl } from '../src/log-url.ts';

// What the request log keeps of URLs that carry secrets, however a client spells them: the real
// Express app (serving the web shell, as a single-host deploy does), its log captured.
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});
const services = testAuthDeps();
let server: Server;
let port = 0;

beforeAll(async () => {
  const webDist = mkdtempSync(path.join(tmpdir(), 'crm-web-'));
  writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>CRM</title>');
  const app = createApp({ services, log: pino({ level: 'info' }, sink), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false, webDist });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The path sent byte for byte as written (fetch would normalise dots and backslashes first). */
function rawGet(target: string, headers: Record<string, string> = {}): Promise<{ status: number; id: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, id: String(res.headers['x-request-id']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function procedure<T>(name: string, token: string, input: unknown = null): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}/trpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  const json = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!json.result) throw new Error(`${name}: ${JSON.stringify(json.error)}`);
  return json.result.data;
}

/** Log lines written for the requests with these ids (written when each response finished). */
async function linesOf(ids: string[]): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return logLines.filter((line) => ids.some((id) => line.includes(id)));
}

const encodeAll = (text: string, hex: (byte: string) => string = (b) => b) =>
  [...Buffer.from(text)].map((byte) => `%${hex(byte.toString(16).padStart(2, '0'))}`).join('');
const encodeSome = (text: string) => [...text].map((c, i) => (i % 3 === 0 ? encodeAll(c, (b) => b.toUpperCase()) : c)).join('');
const fullwidth = (text: string) => encodeAll([...text].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join(''));

/** Every spelling of a URL holding `token` at `route`, as clients, proxies or attackers send it. */
function spellings(route: string, token: string, suffix = ''): string[] {
  const upper = route.toUpperCase();
  const mixed = [...route].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
  return [
    `/${route}/${token}${suffix}`,
    `/${upper}/${token}${suffix}`,
    `/${mixed}/${token}${suffix.toUpperCase()}`,
    `/${encodeAll(route)}/${token}${suffix}`,
    `/${route}/${encodeAll(token)}${suffix}`,
    `/${route}/${encodeAll(token, (b) => b.toUpperCase())}${encodeAll(suffix)}`,
    `/${route}/${encodeSome(token)}${suffix}`,
    `/${route}/${encodeAll(token).replace(/%/g, '%25')}${suffix}`, // encoded twice
    `/${encodeAll(route).replace(/%/g, '%25')}/${encodeAll(encodeAll(token))}${suffix}`,
    `//${route}/${token}${suffix}`,
    `/${route}//${token}${suffix}`,
    `///${route}///${token}${suffix}//`,
    `/${route}/${token}${suffix}/`,
    `/./${route}/./${token}${suffix}`,
    `/x/../${route}/${token}${suffix}`,
    `/${route};v=1/${token}${suffix}`,
    `/${route}%2F${token}${suffix}`,
    `/${route}%2f${encodeAll(token)}${suffix}`,
    `/\\${route}\\${token}${suffix}`,
    `/${fullwidth(route)}/${token}${suffix}`,
    `/${route}/${token}${suffix}?x=1&y=${token}`,
    `/${route}/${token}${suffix}#${token}`,
    `/${route}?token=${token}`,
    `/${route}?token=${encodeAll(token)}`,
    `/elsewhere/${token}`,
    `/elsewhere/${encodeSome(token)}/`,
    `/trpc/${token}`,
  ];
}

/** The parts of a secret a log must not hold: the whole, and every 12-character piece of it. */
function pieces(secret: string): string[] {
  const out = [secret];
  for (let i = 0; i + 12 <= secret.length; i++) out.push(secret.slice(i, i + 12));
  return out;
}

describe('the request log never holds a secret of a URL, however it is written', () => {
  it('the calendar feed: served in any letter case or encoding, logged as /calendar/[redacted]', async () => {
    const { session } = await newTenant(services, 'Journal SARL');
    const feed = await procedure<{ token: string; path: string }>('appointments.rotateFeed', session.accessToken);
    const secret = feed.token.split('.')[1]!;
    const ids: string[] = [];
    const served: string[] = [];
    for (const target of spellings('calendar', feed.token, '.ics')) {
      const { status, id } = await rawGet(target);
      ids.push(id);
      if (status === 200) served.push(target);
    }
    // Express serves the feed in other letter cases, with the token percent-encoded, with a trailing slash or a query.
    expect(served).toEqual(
      expect.arrayContaining([
        `/calendar/${feed.token}.ics`,
        `/CALENDAR/${feed.token}.ics`,
        `/calendar/${encodeAll(feed.token)}.ics`,
        `/calendar/${feed.token}.ics/`,
        `/calendar/${feed.token}.ics?x=1&y=${feed.token}`,
      ]),
    );
    const lines = await linesOf(ids);
    expect(lines).toHaveLength(ids.length);
    const text = lines.join('');
    expect(pieces(secret).filter((piece) => text.includes(piece))).toEqual([]);
    const urls = lines.map((line) => (JSON.parse(line) as { req: { url: string } }).req.url);
    expect(urls.filter((url) => url === '/calendar/[redacted]').length).toBeGreaterThanOrEqual(20);
  });

  it('an invitation link (the web shell’s page), the stream ticket and an access token in a query', async () => {
    const { session } = await newTenant(services, 'Invitations SARL');
    const invitation = await procedure<{ token: string }>('invitations.create', session.accessToken, { email: 'invitee@example.test', role: 'sales' });
    const secret = invitation.token.split('.')[1]!;
    const ids: string[] = [];
    const shell: string[] = [];
    for (const target of spellings('invitation', invitation.token)) {
      const { status, id } = await rawGet(target);
      ids.push(id);
      if (status === 200) shell.push(target);
    }
    expect(shell).toContain(`/invitation/${invitation.token}`);
    const { ticket } = await procedure<{ ticket: string }>('notifications.streamTicket', session.accessToken);
    const connectionParams = encodeURIComponent(JSON.stringify({ token: session.accessToken }));
    for (const target of [
      `/trpc/notifications.onNotification?ticket=${ticket}&input=%7B%7D`,
      `/trpc/notifications.onNotification?connectionParams=${connectionParams}`,
      `/trpc/auth.me?access_token=${session.accessToken}`,
      `/verifier-email/${secret}`,
      `/Verifier-Email?token=${secret}`,
    ]) {
      ids.push((await rawGet(target, { accept: 'text/event-stream' })).id);
    }
    const text = (await linesOf(ids)).join('');
    const secrets = [...pieces(secret), ...pieces(ticket.split('.')[1]!), ...session.accessToken.split('.')];
    expect(secrets.filter((piece) => text.includes(piece))).toEqual([]);
  });

  it('keeps what makes a log useful: routes, procedure names and ids', () => {
    const id = '01938a6e-2f4b-7c3d-9e5f-0a1b2c3d4e5f';
    expect(loggedUrl(`/batches/${id}/file`)).toBe(`/batches/${id}/file`);
    expect(loggedUrl('/trpc/clients.list,notifications.unreadCount?batch=1&input=%7B%7D')).toBe('/trpc/clients.list,notifications.unreadCount');
    expect(loggedUrl('/trpc/auth.switchOrganisation')).toBe('/trpc/auth.switchOrganisation');
    expect(loggedUrl(`/contracts/${id}/mandate.pdf`)).toBe(`/contracts/${id}/mandate.pdf`);
    expect(loggedUrl('/assets/index-BxY1a2c3.js')).toBe('/assets/index-BxY1a2c3.js');
    expect(loggedUrl(`/CALENDAR/${id}.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.ics`)).toBe('/calendar/[redacted]');
    expect(loggedUrl('/calendar')).toBe('/calendar');
    expect(loggedUrl(`/x/${id}.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG`)).toBe(`/x/${id}.[redacted]`);
  });
});

import { randomBytes } from 'node:crypto';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTenant } from '@crm/db';
import { newTenant, testAuthDeps, uniqueEmail } from '@crm/domain/testing';
import type { CrmServices } from '@crm/trpc';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, REFRESH_COOKIE } from '../src/app.ts';

// The notification stream (SSE) over real HTTP: it opens with a single-use stream ticket asked
// for just before, beside the session's refresh cookie, and with nothing else.
const services = testAuthDeps();
const servers: Server[] = [];
let base = '';
/** The same API 31 seconds later: a ticket issued now has expired there. */
let later = '';

async function listen(app: ReturnType<typeof createApp>): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const appWith = (deps: CrmServices) => createApp({ services: deps, log: pino({ level: 'silent' }), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false });

beforeAll(async () => {
  base = await listen(appWith(services));
  later = await listen(appWith({ ...services, clock: () => new Date(Date.now() + 31_000) }));
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function procedure<T>(name: string, token: string | null, input: unknown = null, at = base): Promise<{ data: T; cookie: string | null }> {
  const response = await fetch(`${at}/trpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const json = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!json.result) throw new Error(`${name}: ${JSON.stringify(json.error)}`);
  return { data: json.result.data, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? null };
}

const ticketOf = async (token: string) => (await procedure<{ ticket: string; expiresAt: string }>('notifications.streamTicket', token)).data;

interface Person {
  token: string;
  cookie: string;
  tenantId: string;
  userId: string;
}

/** A new organisation's owner, with the refresh cookie a browser would hold. */
async function owner(): Promise<Person> {
  const { session, tenantId, userId } = await newTenant(services, 'Flux SARL');
  return { token: session.accessToken, cookie: `${REFRESH_COOKIE}=${session.refresh.token}`, tenantId, userId };
}

/** Two notifications for `person`; the stream asked to resume after the first sends the second at once. */
async function twoNotifications(person: Person) {
  const marker = `Marqueur ${randomBytes(4).toString('hex')}`;
  const [first, second] = await withTenant(services.db, person.tenantId, async (tx) => [
    await tx.notification.create({ data: { tenantId: person.tenantId, userId: person.userId, type: 'member.joined', title: 'Ancienne' } }),
    await tx.notification.create({ data: { tenantId: person.tenantId, userId: person.userId, type: 'member.joined', title: marker } }),
  ]);
  return { after: first.id, marker, id: second.id };
}

/** Opens the stream as EventSource does (GET, the ticket in the URL, cookies sent) and reads it for a moment. */
function openStream(at: string, query: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${at}/trpc/notifications.onNotification?${query}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let body = '';
      const done = () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body });
      const timer = setTimeout(() => {
        res.destroy();
        done();
      }, 1_500);
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
        // The first notification is enough: stop reading.
        if (/\nid: ?\S+/.test(body)) {
          clearTimeout(timer);
          res.destroy();
          done();
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        done();
      });
    });
    req.on('error', reject);
    req.end();
  });
}
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const resume = (after: string) => JSON.stringify({ lastEventId: after });

describe('the notification stream', () => {
  it('opens with a ticket once; the same ticket again is refused and streams nothing', async () => {
    const lea = await owner();
    const { after, marker, id } = await twoNotifications(lea);
    const { ticket, expiresAt } = await ticketOf(lea.token);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(ticket).not.toContain(lea.token);

    const opened = await openStream(base, query({ ticket, input: resume(after) }), { cookie: lea.cookie });
    expect(opened.status).toBe(200);
    expect(opened.type).toMatch(/^text\/event-stream/);
    expect(opened.body).toContain(marker);
    expect(opened.body).toContain(id);

    const again = await openStream(base, query({ ticket, input: resume(after) }), { cookie: lea.cookie });
    expect(again.status).toBe(401);
    expect(again.body).not.toContain(marker);
  });

  it('refuses an expired ticket, another user’s, one without its session’s cookie, and a removed member’s', async () => {
    const lea = await owner();
    const other = await owner();
    const { after, marker } = await twoNotifications(lea);
    const refusals: Record<string, { status: number; body: string }> = {};

    refusals.expired = await openStream(later, query({ ticket: (await ticketOf(lea.token)).ticket, input: resume(after) }), { cookie: lea.cookie });
    // Léa's ticket with another person's session cookie, and with none (copied from a log).
    refusals.anotherUser = await openStream(base, query({ ticket: (await ticketOf(lea.token)).ticket, input: resume(after) }), { cookie: other.cookie });
    refusals.noCookie = await openStream(base, query({ ticket: (await ticketOf(lea.token)).ticket, input: resume(after) }));
    // The other person's own ticket in their own session works, and streams only their notifications.
    const theirs = await openStream(base, query({ ticket: (await ticketOf(other.token)).ticket, input: resume(after) }), { cookie: other.cookie });
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toContain(marker);

    // A member asks for a ticket, is removed, then tries it.
    const invitation = await procedure<{ token: string }>('invitations.create', lea.token, { email: uniqueEmail('stream'), role: 'sales' });
    const accepted = await procedure<{ accessToken: string }>('invitations.accept', null, { token: invitation.data.token, name: 'Membre Flux', password: 'a member password' });
    const memberTicket = (await ticketOf(accepted.data.accessToken)).ticket;
    const list = await fetch(`${base}/trpc/members.list`, { headers: { authorization: `Bearer ${lea.token}` } });
    const members = (await list.json()) as { result: { data: { id: string; isMe: boolean }[] } };
    await procedure('members.remove', lea.token, { memberId: members.result.data.find((m) => !m.isMe)!.id });
    refusals.removedMember = await openStream(base, query({ ticket: memberTicket, input: '{}' }), { cookie: accepted.cookie! });

    for (const [what, refused] of Object.entries(refusals)) {
      expect(`${what} ${refused.status}`).toMatch(new RegExp(`^${what} 40[13]$`));
      expect(refused.body).not.toContain(marker);
      expect(refused.body).not.toMatch(/\nid: ?\S+/);
    }
  });

  it('takes no access token, in the URL or anywhere: only a ticket opens it', async () => {
    const lea = await owner();
    const { after, marker } = await twoNotifications(lea);
    const attempts = {
      connectionParams: await openStream(base, query({ connectionParams: JSON.stringify({ token: lea.token }), input: resume(after) }), { cookie: lea.cookie }),
      tokenAsTicket: await openStream(base, query({ ticket: lea.token, input: resume(after) }), { cookie: lea.cookie }),
      accessTokenParam: await openStream(base, query({ access_token: lea.token, token: lea.token, input: resume(after) }), { cookie: lea.cookie }),
      authorizationHeader: await openStream(base, query({ input: resume(after) }), { cookie: lea.cookie, authorization: `Bearer ${lea.token}` }),
      malformed: await openStream(base, query({ ticket: `${lea.tenantId}.x`, input: resume(after) }), { cookie: lea.cookie }),
    };
    for (const [what, refused] of Object.entries(attempts)) {
      expect(`${what} ${refused.status}`).toBe(`${what} 401`);
      expect(refused.body).not.toContain(marker);
    }
  });

  it('a ticket is used once even when two connections race for it', async () => {
    const lea = await owner();
    const { after } = await twoNotifications(lea);
    const { ticket } = await ticketOf(lea.token);
    const both = await Promise.all([1, 2].map(() => openStream(base, query({ ticket, input: resume(after) }), { cookie: lea.cookie })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });
});

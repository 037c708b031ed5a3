import type { AddressInfo } from 'node:net';
import { get, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { newTenant, testAuthDeps } from '@crm/domain/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

// The private iCalendar feed over real HTTP, as Google Calendar or Outlook fetch it.
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});
let server: Server;
let base: string;
const services = testAuthDeps();

beforeAll(async () => {
  const app = createApp({ services, log: pino({ level: 'info' }, sink), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Feed = { token: string; path: string; createdAt: string };

/** A mutation, or a query when `input` is 'query' (GET). */
async function call<T = unknown>(path: string, token: string, input?: unknown): Promise<T> {
  const authorization = `Bearer ${token}`;
  const response =
    input === 'query'
      ? await fetch(`${base}/trpc/${path}`, { headers: { authorization } })
      : await fetch(`${base}/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify(input ?? null),
        });
  const json = (await response.json()) as { result?: { data: unknown }; error?: unknown };
  expect(response.status, JSON.stringify(json.error)).toBe(200);
  return json.result!.data as T;
}

async function signUp(organisationName: string) {
  const { session } = await newTenant(services, organisationName, 'Léa Agenda');
  return session;
}

/** Unfolded content lines, after checking CRLF line ends and the 75-octet limit of RFC 5545. */
function contentLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  expect(physical.every((line) => !line.includes('\n') && !line.includes('\r'))).toBe(true);
  expect(physical.every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  return text.slice(0, -2).replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('GET /calendar/<token>.ics', () => {
  it('serves the member’s appointments as text/calendar, and 404 once the URL is rotated', async () => {
    const lea = await signUp('Agenda SARL');
    const now = new Date();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(now.getTime() + 7 * 86_400_000));
    const booked = await call<{ appointment: { id: string; startsAt: string }; overlaps: unknown[] }>('appointments.create', lea.accessToken, {
      title: 'Rendez-vous chez Dupont, Martin & fils',
      startsAt: `${day}T14:30`,
      endsAt: `${day}T15:30`,
      location: 'Bordeaux',
      reminderMinutes: 60,
    });
    expect(booked.overlaps).toEqual([]);
    expect(await call('appointments.myFeed', lea.accessToken, 'query')).toEqual({ active: false, createdAt: null });
    const feed = await call<Feed>('appointments.rotateFeed', lea.accessToken);
    expect(feed.path).toBe(`/calendar/${feed.token}.ics`);

    const response = await fetch(`${base}${feed.path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const lines = contentLines(await response.text());
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toEqual(expect.arrayContaining(['VERSION:2.0', 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:Rendez-vous Léa Agenda (Agenda SARL)']));
    const event = lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);
    expect(event).toEqual(
      expect.arrayContaining([
        `UID:${booked.appointment.id}@crm`,
        `DTSTART:${booked.appointment.startsAt.replace(/[-:]/g, '').replace('.000', '')}`,
        'SUMMARY:Rendez-vous chez Dupont\\, Martin & fils',
        'LOCATION:Bordeaux',
        'SEQUENCE:0',
        'STATUS:CONFIRMED',
        'BEGIN:VALARM',
        'TRIGGER:-PT60M',
      ]),
    );
    // A calendar polling again gets 304 while nothing changed.
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    // (node:http rather than fetch, which turns a conditional request into a no-cache one.)
    const revalidated = await new Promise<number>((resolve, reject) => {
      get(`${base}${feed.path}`, { headers: { 'if-none-match': etag! } }, (res) => resolve(res.resume().statusCode!)).on('error', reject);
    });
    expect(revalidated).toBe(304);

    // Cancelled: still served, marked so that subscribed calendars drop it.
    await call('appointments.cancel', lea.accessToken, { appointmentId: booked.appointment.id });
    const afterCancel = contentLines(await (await fetch(`${base}${feed.path}`)).text());
    expect(afterCancel).toEqual(expect.arrayContaining(['STATUS:CANCELLED', 'SEQUENCE:1']));

    // Rotating: the old URL is gone, the new one works; myFeed tells a URL is active, not which.
    const next = await call<Feed>('appointments.rotateFeed', lea.accessToken);
    expect((await fetch(`${base}${feed.path}`)).status).toBe(404);
    expect((await fetch(`${base}${next.path}`)).status).toBe(200);
    expect(await call('appointments.myFeed', lea.accessToken, 'query')).toEqual({ active: true, createdAt: next.createdAt });

    // The secret is never written to the request log.
    const secret = next.token.split('.')[1]!;
    expect(logLines.join('')).toContain('/calendar/[redacted]');
    expect(logLines.join('')).not.toContain(secret);
  });

  it('answers 404 alike for unknown, malformed and other-tenant tokens', async () => {
    const a = await signUp('A');
    const b = await signUp('B');
    const feed = await call<Feed>('appointments.rotateFeed', a.accessToken);
    const secret = feed.token.split('.')[1]!;
    const paths = [
      `/calendar/${b.organisationId}.${secret}.ics`, // A's secret under B's tenant
      `/calendar/${a.organisationId}.${'x'.repeat(43)}.ics`,
      `/calendar/${feed.token}`, // no .ics
      '/calendar/nonsense.ics',
      '/calendar/.ics',
    ];
    for (const path of paths) {
      const response = await fetch(`${base}${path}`);
      expect(`${path} ${response.status}`).toBe(`${path} 404`);
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Calendrier introuvable' } });
    }
    expect((await fetch(`${base}${feed.path}`)).status).toBe(200);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, withTenant, type Db } from '@crm/db';
import { createTestDatabase, type TestDatabase } from '@crm/db/testing';
import { startTracing, tracingConfig } from '@crm/db/tracing';
import { DEFAULT_AUTH_TTLS, systemClock, type AuthDeps } from '@crm/domain';
import { newTenant } from '@crm/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tooling/test/free-port.ts';

// OpenTelemetry end to end, on real processes: the API (src/main.ts) and the worker (its
// src/main.ts, over JetStream) export by OTLP/HTTP to a collector of the test's own, which keeps
// what it receives. A client created over HTTP must give one trace: request -> procedure ->
// relay publish -> dashboard handler, across the outbox; a request that queues a mail gives one
// trace: request -> procedure -> the worker's send (child of the trace stored with the mail);
// with OTEL unset, nothing is sent.
const apiRoot = path.resolve(import.meta.dirname, '..');
const workerRoot = path.resolve(apiRoot, '..', 'worker');
const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const JWT_SECRET = randomBytes(32).toString('base64url');

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

/** An OTLP/HTTP JSON receiver: every body as received, and the spans decoded. */
async function startCollector() {
  const bodies: string[] = [];
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(`${req.method} ${req.url} ${req.headers['content-type']} ${text}`);
      if (req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') spans.push(...decode(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, bodies, spans, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
const valueOf = (v: AnyValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const attributesOf = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));
/** Ids are hex in OTLP/JSON; base64 if an exporter sends them as protobuf-JSON bytes. */
const hex = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

function decode(text: string): ExportedSpan[] {
  const request = JSON.parse(text) as {
    resourceSpans: { resource: { attributes: { key: string; value: AnyValue }[] }; scopeSpans: { spans: Record<string, any>[] }[] }[];
  };
  return request.resourceSpans.flatMap((rs) => {
    const service = String(attributesOf(rs.resource.attributes)['service.name']);
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        service,
        traceId: hex(s.traceId),
        spanId: hex(s.spanId),
        parentSpanId: hex(s.parentSpanId),
        name: s.name,
        kind: s.kind,
        attributes: attributesOf(s.attributes),
        status: s.status ?? {},
      })),
    );
  });
}

/** The environment of a child process: the parent's without any OTEL_* of its own, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  return { ...inherited, NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', ...env };
}

const start = (root: string, env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], { cwd: root, env: childEnv(env), stdio: ['ignore', 'ignore', 'inherit'] });

/** SIGTERM, as an orchestrator stops it: the graceful shutdown flushes the spans. */
async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined as T);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let database: TestDatabase;
let db: Db;
let deps: AuthDeps;
let documentsDir: string;
beforeAll(async () => {
  database = await createTestDatabase('crm_otel');
  db = createDb({ url: database.appUrl, poolSize: 4 });
  deps = {
    db,
    clock: systemClock,
    auth: { secret: new TextEncoder().encode(JWT_SECRET), issuer: 'crm-api', audience: 'crm-web', ...DEFAULT_AUTH_TTLS, appUrl: 'http://web.example.test' },
  };
  documentsDir = await mkdtemp(path.join(tmpdir(), 'crm-otel-docs-'));
}, 120_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
  await rm(documentsDir, { recursive: true, force: true });
});

/** The API as its own process on a free port, once /health answers. */
async function startApi(env: Record<string, string>) {
  const port = await freePort();
  const child = start(apiRoot, { DATABASE_URL: database.appUrl, JWT_SECRET, PORT: String(port), HOST: '127.0.0.1', DOCUMENTS_DIR: documentsDir, ...env });
  const base = `http://127.0.0.1:${port}`;
  await until(() => fetch(`${base}/health`).then((r) => r.status), (status) => status === 200);
  return { child, base };
}

async function createClient(base: string, token: string, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/trpc/clients.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  const json = (await response.json()) as { result?: { data: { client: { id: string } } }; error?: unknown };
  if (!json.result) throw new Error(`clients.create: ${JSON.stringify(json.error)}`);
  return json.result.data.client.id;
}

/** The client.created event of `clientId` as the outbox holds it. */
const eventOf = (tenantId: string, clientId: string) =>
  withTenant(db, tenantId, (tx) => tx.outboxEvent.findFirstOrThrow({ where: { type: 'client.created', clientId }, select: { id: true, traceParent: true } }));

/** A public procedure over HTTP (no session). */
async function callPublic(base: string, procedure: string, input: Record<string, unknown>) {
  const response = await fetch(`${base}/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (response.status !== 200) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
}

/** The password-reset mail to `email`, once the worker's sender has sent it. */
const sentResetMail = (email: string) =>
  db.systemMail.findFirst({ where: { recipient: email, template: 'password-reset', status: 'sent' }, select: { id: true, traceParent: true } });

const handledByDashboard = (tenantId: string, eventIds: string[]) =>
  withTenant(db, tenantId, (tx) => tx.processedEvent.count({ where: { consumer: 'dashboard', eventId: { in: eventIds } } }));

describe('traces from the web request to the worker handler', () => {
  it('one trace per created client: request -> procedure -> publish -> handler, an incoming traceparent continued, no personal data', async () => {
    const collector = await startCollector();
    const names = randomBytes(4).toString('hex');
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    const worker = start(workerRoot, {
      DATABASE_URL: database.appUrl,
      NATS_URL: natsUrl,
      EVENTS_STREAM: `TEST_OTEL_${names}`,
      EVENTS_SUBJECT_PREFIX: `test_otel_${names}.events`,
      WORKER_HEALTH_PORT: '0',
      MAIL_CAPTURE: 'true',
      ...otel,
    });
    const api = await startApi(otel);
    try {
      const owner = await newTenant(deps, 'Traces SARL');
      const token = owner.session.accessToken;
      const email = `jeanne.${randomBytes(4).toString('hex')}@example.test`;
      const first = await createClient(api.base, token, { kind: 'person', firstName: 'Jeanne', lastName: 'Traçable', email, ignoreDuplicates: true });

      // A caller already in a trace (a gateway, another service): the request continues it.
      const callerTrace = randomBytes(16).toString('hex');
      const callerSpan = randomBytes(8).toString('hex');
      const second = await createClient(api.base, token, { kind: 'company', companyName: 'Suite SAS', ignoreDuplicates: true }, { traceparent: `00-${callerTrace}-${callerSpan}-01` });

      // A URL whose path is a secret (a calendar feed): the span holds it redacted, as the log does.
      const feedSecret = randomBytes(24).toString('base64url');
      await fetch(`${api.base}/calendar/${owner.tenantId}.${feedSecret}.ics?token=${feedSecret}`);

      // A request that queues a mail (a password reset for the owner's address): the worker's
      // effect sender (MAIL_CAPTURE) delivers it in a span of the request's trace.
      await callPublic(api.base, 'auth.requestPasswordReset', { email: owner.email });

      const events = [await eventOf(owner.tenantId, first), await eventOf(owner.tenantId, second)];
      await until(() => handledByDashboard(owner.tenantId, events.map((e) => e.id)), (count) => count === 2);
      const mail = await until(() => sentResetMail(owner.email), (row) => row !== null);
      expect(await stop(api.child)).toBe(0);
      expect(await stop(worker)).toBe(0);

      const spans = collector.spans;
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const chainOf = (span: ExportedSpan) => {
        const chain = [span];
        for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.unshift(parent);
        return chain;
      };
      const handlerSpanOf = (eventId: string) => spans.find((s) => s.service === 'crm-worker' && s.name === 'dashboard client.created' && s.attributes['messaging.message.id'] === eventId);

      for (const [index, event] of events.entries()) {
        const handler = handlerSpanOf(event.id);
        expect(handler, `handler span of event ${index}`).toBeDefined();
        const chain = chainOf(handler!);
        expect(chain.map((s) => [s.service, s.name, s.kind])).toEqual([
          ['crm-api', 'POST /trpc', 2], // SERVER
          ['crm-api', 'clients.create', 1], // INTERNAL
          ['crm-worker', 'publish client.created', 4], // PRODUCER
          ['crm-worker', 'dashboard client.created', 5], // CONSUMER
        ]);
        expect(new Set(chain.map((s) => s.traceId)).size).toBe(1);
        const [request, procedure, publish] = chain;
        // The outbox row holds the procedure's span as the parent the relay continued from.
        expect(event.traceParent).toBe(`00-${procedure!.traceId}-${procedure!.spanId}-01`);
        expect(request!.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/trpc', 'http.response.status_code': 200, 'url.path': '/trpc/clients.create' });
        expect(procedure!.attributes).toMatchObject({ 'rpc.method': 'clients.create', 'crm.procedure.code': 'OK', 'crm.tenant.id': owner.tenantId });
        expect(publish!.attributes).toMatchObject({ 'messaging.message.id': event.id, 'crm.event.type': 'client.created' });
        expect(handler!.attributes).toMatchObject({ 'messaging.consumer.group.name': 'dashboard', 'crm.tenant.id': owner.tenantId });
        if (index === 0) expect(request!.parentSpanId).toBe('');
        else {
          expect(request!.traceId).toBe(callerTrace);
          expect(request!.parentSpanId).toBe(callerSpan);
        }
      }

      // The mail: queued by the procedure, sent by the worker in a client span of that trace.
      const send = spans.find((s) => s.service === 'crm-worker' && s.name === 'send mail' && s.attributes['crm.effect.id'] === mail!.id);
      expect(send, 'send span of the reset mail').toBeDefined();
      expect(chainOf(send!).map((s) => [s.service, s.name, s.kind])).toEqual([
        ['crm-api', 'POST /trpc', 2], // SERVER
        ['crm-api', 'auth.requestPasswordReset', 1], // INTERNAL
        ['crm-worker', 'send mail', 3], // CLIENT
      ]);
      const resetProcedure = byId.get(send!.parentSpanId)!;
      expect(send!.traceId).toBe(resetProcedure.traceId);
      expect(mail!.traceParent).toBe(`00-${resetProcedure.traceId}-${resetProcedure.spanId}-01`);
      expect(send!.attributes).toEqual({
        'crm.effect.queue': 'system_mails',
        'crm.effect.id': mail!.id,
        'crm.effect.attempt': 1,
        'crm.effect.transport': expect.any(String),
        'crm.effect.outcome': 'sent',
      });

      const feed = spans.find((s) => s.service === 'crm-api' && s.attributes['url.path']?.toString().startsWith('/calendar'));
      expect(feed?.attributes['url.path']).toBe('/calendar/[redacted]');
      // Nothing personal or secret anywhere in what was exported: not the client's e-mail or
      // name, the access token, the feed's secret, the JWT secret.
      const exported = collector.bodies.join('\n');
      expect(collector.bodies.length).toBeGreaterThan(0);
      for (const secret of [email, 'Traçable', 'Jeanne', token, token.split('.')[2]!, feedSecret, JWT_SECRET, owner.email]) expect(exported).not.toContain(secret);
    } finally {
      await stop(api.child);
      await stop(worker);
      await collector.close();
    }
  }, 120_000);

  it('with OTEL unset (or OTEL_TRACES_EXPORTER=none), nothing is exported and no trace is stored with events', async () => {
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'crm-api' })).toBeNull();
    expect(startTracing(tracingConfig({ OTEL_SERVICE_NAME: 'crm-api' }))).toBeNull();
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'crm-api', OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })).toBeNull();
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'crm-api', OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' })).toBeNull();
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db,x=y' })).toEqual({
      serviceName: 'x',
      url: 'http://c:4318/v1/traces',
      headers: { 'api-key': 'a=b', x: 'y' },
    });
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_EXPORTER: 'otlp' })?.url).toBe('http://localhost:4318/v1/traces');

    const collector = await startCollector();
    const owner = await newTenant(deps, 'Sans Traces SARL');
    try {
      // Nothing set at all, then an endpoint with the exporter set to none: the API runs without a tracer provider.
      const settings: Record<string, string>[] = [{}, { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }];
      for (const env of settings) {
        const api = await startApi(env);
        try {
          const clientId = await createClient(api.base, owner.session.accessToken, { kind: 'company', companyName: `Muette ${randomBytes(3).toString('hex')}`, ignoreDuplicates: true }, {
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
          });
          expect((await eventOf(owner.tenantId, clientId)).traceParent).toBeNull();
        } finally {
          expect(await stop(api.child)).toBe(0);
        }
      }
      expect(collector.bodies).toEqual([]);
    } finally {
      await collector.close();
    }
  }, 120_000);
});

import { withTenant } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { handlerOf, type AuthDeps } from '@crm/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker.ts';
import { dashboardTotals, emitClientEvents, natsUrl, newOrganisation, ownDatabase, silent, uniqueNames, until } from './support.ts';

// The worker's spans on both transports, with a tracer provider registered in this test file's
// process (an in-memory exporter): events written under a span carry it through the outbox,
// and each handler run of each event is a consumer span, child of the relay's publish of that
// event, itself a child of the writer's span. JetStream hands events in batches (one
// transaction for several): still one span per event. (apps/api/test/tracing.test.ts follows
// a trace from the web request over real processes and OTLP.)
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = provider.getTracer('test');

let database: TestDatabase;
let deps: AuthDeps;
let nc: NatsConnection;
const streams: string[] = [];
beforeAll(async () => {
  ({ database, deps } = await ownDatabase('crm_worker_tracing'));
  nc = await connect({ servers: natsUrl });
}, 60_000);
afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
  await nc.close();
  await deps.db.$disconnect();
  await database.drop();
  await provider.shutdown();
});

const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function tracedRun(transport: 'in-process' | 'jetstream') {
  const org = await newOrganisation(deps);
  const names = uniqueNames();
  streams.push(names.stream);
  const worker = await startWorker({
    db: deps.db,
    nats: transport === 'jetstream' ? nc : null,
    log: silent,
    relayPollMs: 50,
    handlers: [handlerOf('dashboard')!],
    jetstream: names,
    tracer,
  });
  try {
    // Five events in one transaction, under one span: the writer (a procedure, in the API).
    const writer = await tracer.startActiveSpan('writer', async (span) => {
      await emitClientEvents(deps.db, org.tenantId, 5);
      span.end();
      return span;
    });
    await until(() => dashboardTotals(deps.db, org.tenantId), (t) => t.newClients === 5);
    const events = await withTenant(deps.db, org.tenantId, (tx) => tx.outboxEvent.findMany({ where: { type: 'client.created' }, select: { id: true, traceParent: true } }));
    expect(events).toHaveLength(5);
    for (const event of events) expect(event.traceParent).toBe(`00-${writer.spanContext().traceId}-${writer.spanContext().spanId}-01`);

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === writer.spanContext().traceId);
    for (const event of events) {
      const handled = spans.filter((s) => s.name === 'dashboard client.created' && s.attributes['messaging.message.id'] === event.id);
      expect(handled, `one handler span for ${event.id}`).toHaveLength(1);
      const publish = spans.find((s) => spanId(s) === parentId(handled[0]!));
      expect(publish?.name).toBe('publish client.created');
      expect(publish?.attributes['messaging.message.id']).toBe(event.id);
      expect(parentId(publish!)).toBe(writer.spanContext().spanId);
      expect(handled[0]!.attributes).toMatchObject({ 'messaging.consumer.group.name': 'dashboard', 'crm.tenant.id': org.tenantId });
    }
  } finally {
    await worker.stop();
  }
}

describe.sequential("the worker's spans", () => {
  it('in process: writer -> publish -> handler for each event', () => tracedRun('in-process'));
  it('over JetStream, events of one batch: writer -> publish -> handler for each event', () => tracedRun('jetstream'));
});

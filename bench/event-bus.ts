import { randomBytes } from 'node:crypto';
import { createDb, listen, withSystem, withTenant } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import { createVerifiedAccount, emitEvent, hashPassword, type EventHandler } from '@crm/domain';
import { startWorker } from '@crm/worker/worker';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { fmt } from './harness.ts';

// The event backbone: latency from a business commit to its handler, against a bare
// JetStream publish -> consume; worker throughput with a no-op handler against raw consume+ack.
const natsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 400);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_THROUGHPUT_EVENTS ?? 5_000);
const log = pino({ level: 'silent' });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uid = () => randomBytes(4).toString('hex');

const database = await createTestDatabase('crm_bench_bus');
const db = createDb({ url: database.appUrl, poolSize: 10 });
const nc = await connect({ servers: natsUrl });
const jsm = await jetstreamManager(nc);
const streams: string[] = [];
const { tenantId } = await createVerifiedAccount(
  { db },
  { name: 'Bench', email: `bench.${uid()}@example.test`, passwordHash: await hashPassword('a bench password'), organisationName: 'Bench' },
);
const clientEvent = (i: number) => ({
  type: 'client.created' as const,
  tenantId,
  payload: { clientId: `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`, kind: 'person' as const, displayName: `C${i}`, salesRepId: null },
});

try {
  // 1. Latency: commit -> handler, one event per business transaction, paced.
  const names = { stream: `BENCH_${uid()}`, subjectPrefix: `bench_${uid()}.events` };
  streams.push(names.stream);
  const seen = new Map<string, number>();
  const probe: EventHandler = {
    consumer: 'latency',
    types: ['client.created'],
    handle: (_tx, event) => {
      seen.set(event.id, performance.now());
      return Promise.resolve();
    },
  };
  const waker = listen(database.appUrl, 'crm_outbox');
  const worker = await startWorker({ db, nats: nc, log, waker, handlers: [probe], jetstream: names, relayPollMs: 1_000 });
  await sleep(300);
  const committed = new Map<string, number>();
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const event = await withTenant(db, tenantId, (tx) => emitEvent(tx, clientEvent(i)));
    committed.set(event.id, performance.now());
    await sleep(5);
  }
  while (seen.size < LATENCY_EVENTS) await sleep(20);
  await worker.stop();
  const ours = summary([...committed].map(([id, at]) => seen.get(id)! - at).slice(20)); // first ones warm up

  const bareStream = `BENCHBARE_${uid()}`;
  streams.push(bareStream);
  await jsm.streams.add({ name: bareStream, subjects: [`${bareStream}.>`] });
  await jsm.consumers.add(bareStream, { durable_name: 'bare', ack_policy: AckPolicy.Explicit });
  const js = jetstream(nc);
  const bareSeen = new Map<string, number>();
  const bareMessages = await (await js.consumers.get(bareStream, 'bare')).consume();
  const bareLoop = (async () => {
    for await (const m of bareMessages) {
      bareSeen.set(m.string(), performance.now());
      m.ack();
      if (bareSeen.size === LATENCY_EVENTS) break;
    }
  })();
  const published = new Map<string, number>();
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const id = `m${i}`;
    const at = performance.now();
    await js.publish(`${bareStream}.x`, id, { msgID: id });
    published.set(id, at);
    await sleep(5);
  }
  await bareLoop;
  const bare = summary([...published].map(([id, at]) => bareSeen.get(id)! - at).slice(20));

  // 2. Throughput: a no-op handler over the whole path vs raw consume + ack, same events.
  const tNames = { stream: `BENCHT_${uid()}`, subjectPrefix: `bencht_${uid()}.events` };
  streams.push(tNames.stream);
  for (let done = 0; done < THROUGHPUT_EVENTS; done += 1_000) {
    await withTenant(db, tenantId, async (tx) => {
      for (let i = done; i < done + 1_000; i++) await emitEvent(tx, clientEvent(100_000 + i));
    });
  }
  let handled = 0;
  const noop: EventHandler = { consumer: 'noop', types: ['client.created'], handle: () => Promise.resolve(void handled++) };
  // Publish everything first (relay only: no consumers yet), so both sides read the same backlog.
  const relayOnly = await startWorker({ db, nats: nc, log, handlers: [], jetstream: tNames, relayPollMs: 50 });
  while ((await withSystem(db, (tx) => tx.outboxEvent.count({ where: { publishedAt: null } }))) > 0) await sleep(50);
  await relayOnly.stop();
  const backlog = (await jsm.streams.info(tNames.stream)).state.messages;

  await jsm.consumers.add(tNames.stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  let raw = 0;
  const rawStart = performance.now();
  const rawMessages = await (await js.consumers.get(tNames.stream, 'raw')).consume({ max_messages: 256 });
  for await (const m of rawMessages) {
    m.json();
    m.ack();
    if (++raw === backlog) break;
  }
  const rawRate = backlog / ((performance.now() - rawStart) / 1000);

  const start = performance.now();
  const consumer = await startWorker({ db, nats: nc, log, handlers: [noop], jetstream: tNames, relayPollMs: 1_000 });
  while (handled < THROUGHPUT_EVENTS) await sleep(10);
  const ourRate = THROUGHPUT_EVENTS / ((performance.now() - start) / 1000);
  await consumer.stop();

  console.log(`\nEvent backbone, loopback, ${new Date().toISOString()}\n`);
  console.log('| latency (ms)                                   |   p50 |   p95 |   p99 |');
  console.log('|------------------------------------------------|------:|------:|------:|');
  console.log(`| commit -> handler (outbox, relay, JetStream)   | ${fmt(ours.p50, 1).padStart(5)} | ${fmt(ours.p95, 1).padStart(5)} | ${fmt(ours.p99, 1).padStart(5)} |`);
  console.log(`| baseline: bare JetStream publish -> consume    | ${fmt(bare.p50, 1).padStart(5)} | ${fmt(bare.p95, 1).padStart(5)} | ${fmt(bare.p99, 1).padStart(5)} |`);
  console.log(`\n| throughput                                     | events/s |`);
  console.log('|------------------------------------------------|---------:|');
  console.log(`| worker, no-op handler (dedup record + ack)     | ${fmt(ourRate).padStart(8)} |`);
  console.log(`| baseline: raw consume + ack                    | ${fmt(rawRate).padStart(8)} |`);
  console.log(`\nratio: worker / raw = ${fmt(ourRate / rawRate, 2)} (${LATENCY_EVENTS} latency samples, ${THROUGHPUT_EVENTS} events)`);
  await waker.close();
} finally {
  for (const stream of streams) await jsm.streams.delete(stream).catch(() => false);
  await nc.close();
  await db.$disconnect();
  await database.drop();
}

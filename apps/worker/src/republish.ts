import { parseArgs } from 'node:util';
import { createDb, withSystem } from '@crm/db';
import { type EventEnvelope, type EventType } from '@crm/domain';
import { connect } from '@nats-io/transport-node';
import { readWorkerEnv } from './env.ts';
import { jetStreamSink } from './event-bus/jetstream.ts';

// `pnpm --filter @crm/worker republish --from 2026-11-01T00:00:00Z [--to ...] [--type payment.rejected] [--tenant <uuid>]`
// Publishes a range of outbox events again, for a new consumer or after an incident. Each
// goes out under a fresh Nats-Msg-Id (the dedup window must not swallow it); consumers skip
// those they already handled (processed-event records), so a republish is always safe.
const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' }, tenant: { type: 'string' } },
});
if (!values.from || Number.isNaN(Date.parse(values.from))) {
  console.error('usage: republish --from <ISO instant> [--to <ISO instant>] [--type <event type>] [--tenant <uuid>]');
  process.exit(2);
}
const env = readWorkerEnv();
const db = createDb({ url: env.DATABASE_URL, poolSize: 2 });
const nats = await connect({ servers: env.NATS_URL, name: 'crm-republish' });
const sink = jetStreamSink(nats, { stream: env.EVENTS_STREAM, subjectPrefix: env.EVENTS_SUBJECT_PREFIX }, (event) => `${event.id}:republished:${Date.now()}`);
const from = new Date(values.from);
const to = values.to ? new Date(values.to) : new Date();
let cursor = '00000000-0000-0000-0000-000000000000';
let total = 0;
for (;;) {
  const rows = await withSystem(db, (tx) =>
    tx.outboxEvent.findMany({
      where: {
        occurredAt: { gte: from, lte: to },
        id: { gt: cursor },
        ...(values.type ? { type: values.type } : {}),
        ...(values.tenant ? { tenantId: values.tenant } : {}),
      },
      orderBy: { id: 'asc' },
      take: 500,
    }),
  );
  if (rows.length === 0) break;
  const events: EventEnvelope[] = rows.map((row) => ({
    id: row.id,
    type: row.type as EventType,
    tenantId: row.tenantId,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload as EventEnvelope['payload'],
  }));
  await sink.publish(events);
  total += rows.length;
  cursor = rows.at(-1)!.id;
}
console.log(`${total} events republished (${from.toISOString()} .. ${to.toISOString()})`);
await nats.drain();
await db.$disconnect();

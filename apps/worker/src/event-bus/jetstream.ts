import type { Db } from '@crm/db';
import { eventSubject, handleEventsOnce, ZEventEnvelope, type EventEnvelope, type BoundEventHandler as EventHandler } from '@crm/domain';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { deliver, type DeliveryPolicy } from './deliver.ts';
import type { EventSink } from './relay.ts';

/**
 * Names on the NATS server. Production uses the predecessor's subjects (`crm.events.<type>`)
 * on the stream CRM_EVENTS; tests and benchmarks sharing a server use names of their own.
 */
export interface JetStreamNames {
  stream: string;
  subjectPrefix: string;
}
export const DEFAULT_JETSTREAM_NAMES: JetStreamNames = { stream: 'CRM_EVENTS', subjectPrefix: 'crm.events' };

const ms = (millis: number) => millis * 1_000_000; // JetStream durations are nanoseconds

/** One durable consumer per group and event type: nats-server 2.9 takes one filter subject per consumer. */
export const durableName = (consumer: string, type: string) => `crm-${consumer}-${type.replace(/\./g, '-')}`;
const subjectOf = (names: JetStreamNames, event: EventEnvelope) =>
  names.subjectPrefix === DEFAULT_JETSTREAM_NAMES.subjectPrefix ? eventSubject(event.type) : `${names.subjectPrefix}.${event.type}`;

/** The stream, and one durable consumer per handler group. Idempotent: run at every start. */
export async function ensureJetStream(
  nc: NatsConnection,
  handlers: readonly EventHandler[],
  names: JetStreamNames = DEFAULT_JETSTREAM_NAMES,
  retentionDays = 7,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const STREAM = names.stream;
  const SUBJECTS = `${names.subjectPrefix}.>`;
  const config = {
    name: STREAM,
    subjects: [SUBJECTS],
    storage: StorageType.File,
    duplicate_window: ms(2 * 60_000),
    max_age: ms(retentionDays * 86_400_000),
  };
  await jsm.streams.info(STREAM).then(
    () => jsm.streams.update(STREAM, config),
    () => jsm.streams.add(config),
  );
  for (const handler of handlers) {
    for (const type of handler.types) {
      await jsm.consumers.add(STREAM, {
        durable_name: durableName(handler.consumer, type),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${names.subjectPrefix}.${type}`,
        ack_wait: ms(30_000),
        max_ack_pending: 1_000,
      });
    }
  }
}

/** Publishes to JetStream with Nats-Msg-Id = event id, so a republished event is dropped in the dedup window. */
export function jetStreamSink(
  nc: NatsConnection,
  names: JetStreamNames = DEFAULT_JETSTREAM_NAMES,
  messageId: (event: EventEnvelope) => string = (event) => event.id,
): EventSink {
  const js = jetstream(nc);
  return {
    async publish(events: EventEnvelope[]) {
      await Promise.all(events.map((event) => js.publish(subjectOf(names, event), JSON.stringify(event), { msgID: messageId(event) })));
    },
  };
}

/**
 * Pulls one group's durable consumer of one event type and settles each message as `deliver` says: ack, nak
 * with a delay, or term after dead-lettering. Up to `concurrency` messages are in flight.
 */
export class JetStreamConsumer {
  private messages: ConsumerMessages | null = null;
  private consumer: Consumer | null = null;
  private loop: Promise<void> | null = null;
  handled = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly db: Db,
    readonly handler: EventHandler,
    readonly type: string,
    private readonly policy: DeliveryPolicy,
    private readonly log: Logger,
    private readonly names: JetStreamNames = DEFAULT_JETSTREAM_NAMES,
    private readonly concurrency = 8,
  ) {}

  async start(): Promise<void> {
    const consumer = await jetstream(this.nc).consumers.get(this.names.stream, durableName(this.handler.consumer, this.type));
    this.consumer = consumer;
    this.messages = await consumer.consume({ max_messages: this.concurrency * 4 });
    this.loop = this.run(this.messages);
  }

  /** The durable consumer's lag as JetStream counts it: messages not yet delivered, and delivered but not acked. */
  async lag(): Promise<{ pending: number; ackPending: number } | null> {
    if (!this.consumer) return null;
    const info = await this.consumer.info();
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  /**
   * Messages that arrive together are handled together: one transaction per tenant per batch
   * (handleEventsOnce), acked after it commits. A batch that fails falls back to `settle`, one
   * message at a time, so retries and dead letters stay exact per event.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let batch: JsMsg[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (batch.length === 0) return;
      const taken = batch;
      batch = [];
      const task = this.settleBatch(taken).finally(() => inFlight.delete(task));
      inFlight.add(task);
    };
    for await (const message of messages) {
      batch.push(message);
      if (batch.length >= 256) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush); // after the messages already buffered have been taken
      }
      if (inFlight.size >= this.concurrency) await Promise.race(inFlight);
    }
    flush();
    await Promise.all(inFlight);
  }

  private async settleBatch(messages: JsMsg[]): Promise<void> {
    if (messages.length === 1) return this.settle(messages[0]!);
    const decoded: { message: JsMsg; event: EventEnvelope }[] = [];
    const rest: JsMsg[] = [];
    for (const message of messages) {
      const parsed = message.info.deliveryCount === 1 ? ZEventEnvelope.safeParse(safeJson(message)) : null;
      if (parsed?.success) decoded.push({ message, event: parsed.data as EventEnvelope });
      else rest.push(message); // redeliveries and oddities take the careful path
    }
    const byTenant = new Map<string, typeof decoded>();
    for (const item of decoded) byTenant.set(item.event.tenantId, [...(byTenant.get(item.event.tenantId) ?? []), item]);
    for (const [tenantId, items] of byTenant) {
      try {
        await handleEventsOnce(this.db, this.handler, tenantId, items.map((i) => i.event));
        for (const { message } of items) message.ack();
        this.handled += items.length;
      } catch {
        rest.push(...items.map((i) => i.message));
      }
    }
    for (const message of rest) await this.settle(message);
  }

  private async settle(message: JsMsg): Promise<void> {
    const settlement = await deliver(this.db, this.handler, safeJson(message), message.info.deliveryCount, this.policy, this.log);
    if (settlement.action === 'ack') {
      // An ack lost on the way means a redelivery, which the processed-event record absorbs.
      message.ack();
      this.handled++;
    } else if (settlement.action === 'retry') message.nak(settlement.delayMs);
    else message.term();
  }
}

function safeJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return null;
  }
}

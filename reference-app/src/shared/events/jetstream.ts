import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import { checkOut } from '../db/checked-out.js';
import type { DeliveredEvent, EventBus, EventHandler, OutgoingEvent, Tx } from './event-bus.js';
import { handleOnce } from './inbox.js';
import { describeError, silentLogger, type BusLogger } from './logger.js';
import { withProcessSpan } from './tracing.js';

/** The outbox consumer that forwards events to JetStream for every consumer placed there. */
export const JETSTREAM_FORWARDER = 'jetstream';

export interface JetStreamSettings {
  servers: string;
  stream: string;
  /** Events go to `<prefix>.<event type>`, e.g. `archfit.events.order.placed`. */
  subjectPrefix: string;
  /** Deliveries of one message before the consumer gives up on it (terminates it). */
  maxDeliver: number;
  /** How long JetStream waits for an ack before redelivering. */
  ackWaitMs: number;
}

export function jetStreamSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JetStreamSettings {
  return {
    servers: env.EVENTS_NATS_URL || 'nats://127.0.0.1:4222',
    stream: env.EVENTS_JETSTREAM_STREAM || 'ARCHFIT_EVENTS',
    subjectPrefix: env.EVENTS_JETSTREAM_SUBJECT_PREFIX || 'archfit.events',
    maxDeliver: Number(env.EVENTS_JETSTREAM_MAX_DELIVER) || 10,
    ackWaitMs: Number(env.EVENTS_JETSTREAM_ACK_WAIT_MS) || 30_000,
  };
}

/** What travels on the wire: the delivered event minus the per-delivery attempt counter. */
interface Envelope {
  id: string;
  type: string;
  version: number;
  key?: string;
  payload: unknown;
  publishedAt: string;
  traceparent?: string;
}

async function ensureStream(nc: NatsConnection, settings: JetStreamSettings): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const subjects = [`${settings.subjectPrefix}.>`];
  try {
    await jsm.streams.info(settings.stream);
  } catch {
    // The duplicate window makes a re-forwarded event (the relay crashed after publishing and
    // before its commit) a no-op in the stream: the event id is the message id.
    await jsm.streams.add({ name: settings.stream, subjects, duplicate_window: nanos(2 * 60_000) });
  }
}

/**
 * The outbox side: an outbox consumer whose "handler" publishes the event to JetStream and
 * waits for the stream's ack, inside the delivery transaction. If the commit then fails, the
 * relay redelivers and JetStream drops the duplicate by message id.
 */
export class JetStreamForwarder {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;

  constructor(
    private readonly settings: JetStreamSettings,
    private readonly logger: BusLogger = silentLogger,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.settings.servers, name: 'archfit-outbox-forwarder' });
    await ensureStream(this.nc, this.settings);
    this.js = jetstream(this.nc);
    this.logger.info({ stream: this.settings.stream, servers: this.settings.servers }, 'forwarding outbox events to JetStream');
  }

  readonly handler: EventHandler = async (event) => {
    if (!this.js) throw new Error('JetStream forwarder is not started');
    const envelope: Envelope = {
      id: event.id,
      type: event.type,
      version: event.version,
      payload: event.payload,
      publishedAt: event.publishedAt.toISOString(),
      ...(event.key === undefined ? {} : { key: event.key }),
      ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
    };
    const h = headers();
    if (event.traceparent) h.set('traceparent', event.traceparent);
    await this.js.publish(`${this.settings.subjectPrefix}.${event.type}`, JSON.stringify(envelope), { msgID: event.id, headers: h });
  };

  async stop(): Promise<void> {
    await this.nc?.drain();
    this.nc = undefined;
  }
}

export interface JetStreamSubscriberOptions {
  pool: pg.Pool;
  /** Where this process's own publishes go (the Postgres outbox); subscribing is from JetStream. */
  outbox: Pick<EventBus, 'publish'>;
  settings: JetStreamSettings;
  logger?: BusLogger;
}

export interface JetStreamEventBus extends EventBus {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The consuming side, behind the same EventBus interface the modules already use: handlers
 * subscribe exactly as with the Postgres relay, but their events arrive from durable
 * JetStream consumers named after the consumer and event type (instances of one consumer
 * share their work).
 * Each message runs in a Postgres transaction with the same inbox dedupe, and is acked only
 * after that transaction committed: at-least-once from the broker, exactly-once in effect.
 */
export function createJetStreamSubscriber(options: JetStreamSubscriberOptions): JetStreamEventBus {
  const { pool, settings } = options;
  const logger = options.logger ?? silentLogger;
  const handlers = new Map<string, Map<string, EventHandler>>();
  const loops: Promise<void>[] = [];
  const stops: Array<() => void> = [];
  let nc: NatsConnection | undefined;

  async function handle(consumer: string, msg: JsMsg): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = msg.json<Envelope>();
    } catch (err) {
      logger.error({ consumer, subject: msg.subject, err: describeError(err) }, 'unreadable JetStream message terminated');
      msg.term('unreadable');
      return;
    }
    const handler = handlers.get(consumer)?.get(envelope.type);
    if (!handler) {
      msg.term(`no handler for ${envelope.type}`);
      return;
    }
    const event: DeliveredEvent = {
      ...envelope,
      publishedAt: new Date(envelope.publishedAt),
      attempt: msg.info.deliveryCount,
    };
    const { client, release } = await checkOut(pool);
    let broken = false;
    try {
      await client.query('BEGIN');
      await withProcessSpan(
        { type: event.type, eventId: event.id, consumer, attempt: event.attempt, traceparent: event.traceparent, system: 'nats' },
        () => handleOnce(client, consumer, event, handler),
      );
      await client.query('COMMIT');
      msg.ack();
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const fields = { consumer, eventId: event.id, type: event.type, attempt: event.attempt, err: describeError(err) };
      if (event.attempt >= settings.maxDeliver) {
        logger.error(fields, 'event dead-lettered in JetStream (terminated after max deliveries)');
        msg.term(describeError(err).slice(0, 200));
      } else {
        logger.warn(fields, 'event handler failed; JetStream will redeliver');
        msg.nak(Math.min(30_000, 200 * 2 ** (event.attempt - 1)));
      }
    } finally {
      release(broken);
    }
  }

  return {
    publish: (events: ReadonlyArray<OutgoingEvent>, tx: Tx) => options.outbox.publish(events, tx),
    subscribe<P>(consumer: string, eventType: string, handler: EventHandler<P>) {
      let byType = handlers.get(consumer);
      if (!byType) handlers.set(consumer, (byType = new Map()));
      if (byType.has(eventType)) throw new Error(`consumer ${consumer} already subscribes to ${eventType}`);
      byType.set(eventType, handler as EventHandler);
    },
    async start() {
      nc = await connect({ servers: settings.servers, name: 'archfit-jetstream-subscriber' });
      await ensureStream(nc, settings);
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      for (const [consumer, byType] of handlers) {
        for (const type of byType.keys()) {
          // One durable per (consumer, event type) with a single filter subject: works on
          // servers before 2.10 (no filter_subjects), and each type's backlog is visible apart.
          const durable = `${consumer}__${type}`.replace(/[^A-Za-z0-9_-]/g, '_');
          const config = {
            ack_policy: AckPolicy.Explicit,
            filter_subject: `${settings.subjectPrefix}.${type}`,
            max_deliver: settings.maxDeliver,
            ack_wait: nanos(settings.ackWaitMs),
          };
          try {
            await jsm.consumers.info(settings.stream, durable);
            await jsm.consumers.update(settings.stream, durable, config);
          } catch {
            await jsm.consumers.add(settings.stream, { durable_name: durable, ...config });
          }
          const messages = await (await js.consumers.get(settings.stream, durable)).consume({ max_messages: 64 });
          stops.push(() => void messages.stop());
          loops.push(
            (async () => {
              for await (const msg of messages) await handle(consumer, msg);
            })(),
          );
          logger.info({ consumer, durable, stream: settings.stream, type }, 'consuming events from JetStream');
        }
      }
    },
    async stop() {
      for (const stop of stops) stop();
      await Promise.allSettled(loops);
      await nc?.drain();
      nc = undefined;
    },
  };
}

import type pg from 'pg';
import { allContracts, contractsOfType } from './contract.js';
import type { EventBus, EventHandler, OutgoingEvent, Tx } from './event-bus.js';
import { silentLogger, type BusLogger } from './logger.js';
import { JETSTREAM_FORWARDER, JetStreamForwarder, jetStreamSettingsFromEnv, type JetStreamSettings } from './jetstream.js';
import { placementOf, runsInApp, type Placement } from './placement.js';
import { Publications } from './publications.js';
import { publishEvents } from './publish.js';
import { RelayLoop, type RelayLoopSettings } from './relay-loop.js';
import { ensureEventsSchema } from './schema.js';
import { Subscriptions } from './subscriptions.js';

export interface EventBusOptions {
  pool: pg.Pool;
  logger?: BusLogger;
  /**
   * Which consumers this process's relay delivers to. Default: every subscribed consumer
   * whose `<MODULE>_RUN` is not `worker` (see placement.ts).
   */
  consumers?: ReadonlyArray<string> | ((consumer: string) => boolean);
  /** false: this process only publishes (its consumers run elsewhere). */
  relay?: boolean | Partial<RelayLoopSettings>;
  /** Housekeeping of completed publications and old inbox rows; false turns it off. */
  prune?: false | Partial<PruneSettings>;
  /** Reject events without a defineEvent() contract (default true). */
  requireContracts?: boolean;
  /** Apply the bus's migrations in start() (default true; idempotent). */
  ensureSchema?: boolean;
  /** Where each consumer runs (default: `<MODULE>_RUN` from the environment, see placement.ts). */
  placement?: (consumer: string) => Placement;
  /** Used when some consumer is placed on `jetstream` (default: EVENTS_NATS_URL etc.). */
  jetstream?: JetStreamSettings;
}

export interface PruneSettings {
  completedRetentionMs: number;
  inboxRetentionMs: number;
  intervalMs: number;
}

export interface PostgresEventBus extends EventBus {
  /** publish() that also returns the ids given to the events, in order. */
  publishEvents(events: ReadonlyArray<OutgoingEvent>, tx: Tx): Promise<string[]>;
  start(): Promise<void>;
  stop(): Promise<void>;
  ensureSchema(): Promise<void>;
  /** Operator view and repair of the publication registry. */
  readonly publications: Publications;
  /** The consumers whose handlers this process runs (known after start()). */
  runningConsumers(): string[];
  subscriptions(): Array<{ consumer: string; eventType: string }>;
  /** Wakes the relay (tests, and adapters that know work arrived): at once when idle, when a delivery ends while busy (RelayLoop.kick). */
  wake(): void;
}

export const defaultRelaySettings: RelayLoopSettings = {
  batchSize: 64,
  // Each delivery transaction holds a pool connection (LISTEN has a client of its own, outside
  // the pool): the app pool defaults to 10, so 4 leaves most of it to requests. Raise both together.
  concurrency: 4,
  groupSize: 16,
  leaseMs: 30_000,
  maxAttempts: 10,
  backoff: { baseMs: 500, maxMs: 60_000 },
  pollIntervalMs: 500,
  // As often as a publisher may NOTIFY. At 10 ms a relay at 200 bids/s claimed 0.31-0.41 times
  // per bid in batches of about five events; at 25 ms, 0.22 (write-cost.ts, issue 16), for about
  // 7 ms more notification lag on one hot auction at 150 bids/s (p50 / p99 8.4 / 25.8 ms at 10 ms,
  // 15.8 / 31.9 ms at 25 ms: load/results/notification-lag-20261205T044858117Z.json).
  hotPollMs: 25,
  hotWindowMs: 1000,
  notify: true,
  notifyThrottleMs: 25,
};

const defaultPrune: PruneSettings = {
  completedRetentionMs: 60 * 60_000,
  inboxRetentionMs: 7 * 24 * 60 * 60_000,
  intervalMs: 60_000,
};

export function createEventBus(options: EventBusOptions): PostgresEventBus {
  const { pool } = options;
  const logger = options.logger ?? silentLogger;
  const subscriptions = new Subscriptions();
  const publications = new Publications(pool);
  const relaySettings: RelayLoopSettings = {
    ...defaultRelaySettings,
    ...(typeof options.relay === 'object' ? options.relay : {}),
  };
  const relayEnabled = options.relay !== false;
  const prune = options.prune === false ? undefined : { ...defaultPrune, ...options.prune };
  const requireContracts = options.requireContracts ?? true;
  const selector = options.consumers ?? runsInApp();
  const placement = options.placement ?? ((consumer: string) => placementOf(consumer));
  const placed = new Map<string, Placement>();
  const placementOfConsumer = (consumer: string) => {
    let p = placed.get(consumer);
    if (p === undefined) placed.set(consumer, (p = consumer === JETSTREAM_FORWARDER ? 'in-process' : placement(consumer)));
    return p;
  };
  // Consumers placed on JetStream get no outbox rows of their own: the forwarder's row carries them.
  const route = (consumer: string) => (placementOfConsumer(consumer) === 'jetstream' ? JETSTREAM_FORWARDER : consumer);
  let forwarder: JetStreamForwarder | undefined;
  const runs = typeof selector === 'function' ? selector : (c: string) => selector.includes(c);
  let running: string[] = [];
  let relay: RelayLoop | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let started = false;
  let lastNotifyAt = -Infinity;
  const shouldNotify = () => {
    if (!relaySettings.notify) return false;
    const now = Date.now();
    if (now - lastNotifyAt < relaySettings.notifyThrottleMs) return false;
    lastNotifyAt = now;
    return true;
  };

  const checkContracts = () => {
    for (const { consumer, eventType } of subscriptions.entries()) {
      const contracts = contractsOfType(eventType);
      if (contracts.length === 0) {
        logger.warn({ consumer, eventType }, 'subscription to an event type no contract declares');
      } else if (!contracts.some((c) => c.subscribers.includes(consumer))) {
        logger.warn(
          { consumer, eventType, declared: contracts.flatMap((c) => c.subscribers) },
          'consumer subscribes to an event whose contract does not list it: add it to the contract\'s subscribers',
        );
      }
    }
  };

  const bus: PostgresEventBus = {
    publications,
    publishEvents: (events, tx) => publishEvents(events, tx, { subscriptions, requireContracts, shouldNotify, route }),
    async publish(events, tx) {
      await bus.publishEvents(events, tx);
    },
    subscribe<P>(consumer: string, eventType: string, handler: EventHandler<P>) {
      subscriptions.add(consumer, eventType, handler as EventHandler);
      if (started) running = subscriptions.allConsumers().filter((c) => runs(c) && placementOfConsumer(c) !== 'jetstream');
    },
    async ensureSchema() {
      await ensureEventsSchema(pool);
    },
    async start() {
      if (started) return;
      if (options.ensureSchema ?? true) await ensureEventsSchema(pool);
      checkContracts();
      // Evaluated here, not at construction, so a bad <MODULE>_RUN fails the boot loudly.
      const known = new Set([...subscriptions.allConsumers(), ...allContracts().flatMap((c) => c.subscribers)]);
      const onJetStream = [...known].filter((c) => placementOfConsumer(c) === 'jetstream');
      if (relayEnabled && onJetStream.length > 0 && runs(JETSTREAM_FORWARDER)) {
        forwarder = new JetStreamForwarder(options.jetstream ?? jetStreamSettingsFromEnv(), logger);
        await forwarder.start();
        subscriptions.addCatchAll(JETSTREAM_FORWARDER, forwarder.handler);
      }
      running = subscriptions.allConsumers().filter((c) => runs(c) && placementOfConsumer(c) !== 'jetstream');
      started = true;
      if (relayEnabled) {
        relay = new RelayLoop(pool, subscriptions, relaySettings, () => running, logger);
        await relay.start();
      }
      if (prune) {
        // The orphan sweep reads the whole event table: once an hour, not every minute. A prune
        // that outlasts the interval (a backlog of up to maxBatches batches) is not overlapped.
        let lastSweep = 0;
        let pruning = false;
        pruneTimer = setInterval(() => {
          if (pruning) return;
          pruning = true;
          const sweepOrphans = Date.now() - lastSweep >= 60 * 60_000;
          if (sweepOrphans) lastSweep = Date.now();
          publications
            .prune({ ...prune, sweepOrphans })
            .then((n) => {
              if (n.publications + n.events + n.inbox > 0) logger.debug?.(n, 'pruned event rows');
            })
            .catch((err) => logger.warn({ err: String(err) }, 'pruning event rows failed'))
            .finally(() => {
              pruning = false;
            });
        }, prune.intervalMs);
        pruneTimer.unref();
      }
      logger.info({ consumers: running, relay: relayEnabled }, 'event bus started');
    },
    async stop() {
      if (!started) return;
      started = false;
      if (pruneTimer) clearInterval(pruneTimer);
      await relay?.stop();
      relay = undefined;
      await forwarder?.stop();
      forwarder = undefined;
    },
    runningConsumers: () => [...running],
    subscriptions: () => subscriptions.entries(),
    wake: () => relay?.kick(),
  };
  return bus;
}

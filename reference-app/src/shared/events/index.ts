// The shared kernel's event bus: contracts, the Postgres outbox implementation and its tools.
export type { BatchHandler, BatchingEventHandler, DeliveredEvent, EventBus, EventHandler, OutgoingEvent, Tx } from './event-bus.js';
export { batchHandler } from './event-bus.js';
export {
  defineEvent,
  findContract,
  InvalidEventPayloadError,
  UnknownEventContractError,
  type EventContract,
  type EventContractDefinition,
} from './contract.js';
export {
  createEventBus,
  defaultRelaySettings,
  type EventBusOptions,
  type PostgresEventBus,
  type PruneSettings,
} from './postgres-event-bus.js';
export { ensureEventsSchema, eventsMigrationsDir } from './schema.js';
export { Publications, type ConsumerSummary, type PublicationState, type PublicationView } from './publications.js';
export { placementOf, placementVariable, runsInApp, runsInWorker, PlacementConfigError, type Placement } from './placement.js';
export { handleOnce } from './inbox.js';
export { silentLogger, type BusLogger } from './logger.js';
export { createEventsOperations } from './operations.js';
export {
  createJetStreamSubscriber,
  JETSTREAM_FORWARDER,
  JetStreamForwarder,
  jetStreamSettingsFromEnv,
  type JetStreamEventBus,
  type JetStreamSettings,
} from './jetstream.js';

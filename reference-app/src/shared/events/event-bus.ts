import type { PoolClient } from 'pg';

/** A transaction handle: a pg client on which BEGIN has been issued. */
export type Tx = PoolClient;

/** An event a module wants to publish, before the bus gives it an id. */
export interface OutgoingEvent<P = unknown> {
  type: string;
  version: number;
  payload: P;
  /** Ordering key: events with the same key reach a consumer in publish order. */
  key?: string;
}

/** An event as a handler receives it. */
export interface DeliveredEvent<P = unknown> extends OutgoingEvent<P> {
  id: string;
  publishedAt: Date;
  /** W3C traceparent of the publishing span, if there was one. */
  traceparent?: string;
  /** 1 on first delivery; higher on retries (handlers must be idempotent). */
  attempt: number;
}

export type EventHandler<P = unknown> = (event: DeliveredEvent<P>, tx: Tx) => Promise<void>;

/** Takes several events in one call, in delivery order, inside one transaction. */
export type BatchHandler<P = unknown> = (events: ReadonlyArray<DeliveredEvent<P>>, tx: Tx) => Promise<void>;

/** An EventHandler that can also take a run of events at once (see batchHandler). */
export type BatchingEventHandler<P = unknown> = EventHandler<P> & { readonly batch: BatchHandler<P> };

/**
 * Makes one handler that takes events one by one (every bus calls it so) or in a batch: the
 * Postgres relay hands it each run of consecutive events of one delivery transaction that share
 * this batch function, in delivery order, so a consumer that writes a row per event can write
 * them all with one statement instead of one per event. Subscribe the result to every type it
 * handles. Per-key order holds: a batch is a slice of the delivery's order, never a reordering.
 */
export function batchHandler<P>(batch: BatchHandler<P>): BatchingEventHandler<P> {
  return Object.assign((event: DeliveredEvent<P>, tx: Tx) => batch([event], tx), { batch });
}

export function batchOf(handler: EventHandler): BatchHandler | undefined {
  const batch = (handler as Partial<BatchingEventHandler>).batch;
  return typeof batch === 'function' ? batch : undefined;
}

/**
 * Cross-module events. publish() writes the events inside the caller's transaction,
 * so an event exists if and only if the business change committed. Delivery is
 * at-least-once; consumers get exactly-once effect by deduplicating on event id.
 */
export interface EventBus {
  publish(events: ReadonlyArray<OutgoingEvent>, tx: Tx): Promise<void>;
  subscribe<P>(consumer: string, eventType: string, handler: EventHandler<P>): void;
}

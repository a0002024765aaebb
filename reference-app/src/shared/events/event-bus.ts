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

/**
 * Cross-module events. publish() writes the events inside the caller's transaction,
 * so an event exists if and only if the business change committed. Delivery is
 * at-least-once; consumers get exactly-once effect by deduplicating on event id.
 */
export interface EventBus {
  publish(events: ReadonlyArray<OutgoingEvent>, tx: Tx): Promise<void>;
  subscribe<P>(consumer: string, eventType: string, handler: EventHandler<P>): void;
}

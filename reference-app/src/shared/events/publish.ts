import { randomUUID } from 'node:crypto';
import type { OutgoingEvent, Tx } from './event-bus.js';
import { findContract, UnknownEventContractError, type EventContract } from './contract.js';
import type { Subscriptions } from './subscriptions.js';
import { activeTraceparent } from './tracing.js';

export const WAKE_CHANNEL = 'archfit_events';

export interface PublishOptions {
  subscriptions: Subscriptions;
  /** Reject events whose type/version has no contract (default true). */
  requireContracts: boolean;
  /** Asked once per publish that writes rows: send a NOTIFY with this transaction? */
  shouldNotify: () => boolean;
  /** The outbox consumer that carries a consumer's events (itself, or the JetStream forwarder). */
  route: (consumer: string) => string;
}

/** Validates every event first, so one bad payload rejects the whole batch before anything is written. */
export function validateEvents(events: ReadonlyArray<OutgoingEvent>, requireContracts: boolean): void {
  for (const event of events) {
    const contract: EventContract | undefined = findContract(event.type, event.version);
    if (contract) contract.assertValid(event.payload);
    else if (requireContracts) throw new UnknownEventContractError(event.type, event.version);
  }
}

/**
 * Writes the events and one publication row per subscribed consumer in ONE statement on the
 * caller's transaction, plus (when `shouldNotify` says so) a NOTIFY that Postgres delivers
 * only if that transaction commits.
 * Returns the ids given to the events (in order; events nobody subscribes to get an id but no row).
 */
export async function publishEvents(
  events: ReadonlyArray<OutgoingEvent>,
  tx: Tx,
  options: PublishOptions,
): Promise<string[]> {
  if (events.length === 0) return [];
  validateEvents(events, options.requireContracts);
  const traceparent = activeTraceparent() ?? null;
  const ids: string[] = [];
  const ev = { id: [] as string[], type: [] as string[], version: [] as number[], key: [] as (string | null)[], payload: [] as string[] };
  const pub = { eventId: [] as string[], consumer: [] as string[], type: [] as string[], key: [] as (string | null)[] };
  for (const event of events) {
    const id = randomUUID();
    ids.push(id);
    // The contract's declared subscribers get rows even when their code runs in another process
    // (a worker, another instance); subscriptions made in this process add theirs.
    const declared = findContract(event.type, event.version)?.subscribers ?? [];
    const consumers = [...new Set([...declared, ...options.subscriptions.consumersOf(event.type)].map(options.route))];
    // Nobody listens: nothing to deliver, so nothing to store (and nothing to throw about).
    if (consumers.length === 0) continue;
    ev.id.push(id);
    ev.type.push(event.type);
    ev.version.push(event.version);
    ev.key.push(event.key ?? null);
    ev.payload.push(JSON.stringify(event.payload));
    for (const consumer of consumers) {
      pub.eventId.push(id);
      pub.consumer.push(consumer);
      pub.type.push(event.type);
      pub.key.push(event.key ?? null);
    }
  }
  if (ev.id.length === 0) return ids;
  await tx.query(
    `WITH e AS (
       INSERT INTO events.event (id, type, version, key, payload, traceparent)
       SELECT id, type, version, key, payload, $6::text
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[]) AS t(id, type, version, key, payload)
     ), p AS (
       INSERT INTO events.publication (event_id, consumer, event_type, key)
       SELECT * FROM unnest($7::uuid[], $8::text[], $9::text[], $10::text[])
     )
     SELECT CASE WHEN $11::boolean THEN pg_notify('${WAKE_CHANNEL}', '') END`,
    [ev.id, ev.type, ev.version, ev.key, ev.payload, traceparent, pub.eventId, pub.consumer, pub.type, pub.key, options.shouldNotify()],
  );
  return ids;
}

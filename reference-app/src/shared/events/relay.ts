import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DeliveredEvent } from './event-bus.js';
import { handleOnce } from './inbox.js';
import { describeError, type BusLogger } from './logger.js';
import type { Subscriptions } from './subscriptions.js';
import { withProcessSpan } from './tracing.js';

export interface RelaySettings {
  /** Publications claimed per round trip. */
  batchSize: number;
  /** Handlers running at once in this relay (each holds one pool connection). */
  concurrency: number;
  /** How long a claim protects a publication from other relays (covers crashed processes). */
  leaseMs: number;
  /** Attempts before a publication is dead-lettered. */
  maxAttempts: number;
  /** Retry delay: min(maxMs, baseMs * 2^(attempt-1)), with +-20% jitter. */
  backoff: { baseMs: number; maxMs: number };
}

export interface ClaimedPublication {
  publicationId: string;
  consumer: string;
  claimToken: string;
  event: DeliveredEvent;
}

interface ClaimRow {
  id: string;
  consumer: string;
  attempts: number;
  event_id: string;
  type: string;
  version: number;
  key: string | null;
  payload: unknown;
  traceparent: string | null;
  published_at: Date;
}

/**
 * Claims up to `limit` publications for `consumers`: pending, due, not leased by a live relay,
 * and (when the event has a key) the oldest pending one of its (consumer, key), which is what
 * keeps per-key order with any number of relays. SKIP LOCKED lets relays claim side by side.
 */
export async function claimPublications(
  pool: pg.Pool,
  consumers: ReadonlyArray<string>,
  limit: number,
  leaseMs: number,
): Promise<ClaimedPublication[]> {
  if (consumers.length === 0 || limit <= 0) return [];
  const token = randomUUID();
  const { rows } = await pool.query<ClaimRow>(
    `WITH candidates AS (
       SELECT p.id FROM events.publication p
        WHERE p.status = 'pending'
          AND p.consumer = ANY($1::text[])
          AND p.available_at <= clock_timestamp()
          AND (p.claimed_until IS NULL OR p.claimed_until < clock_timestamp())
          AND (p.key IS NULL OR NOT EXISTS (
                SELECT 1 FROM events.publication q
                 WHERE q.status = 'pending' AND q.consumer = p.consumer AND q.key = p.key AND q.id < p.id))
        ORDER BY p.id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE events.publication p
          SET claim_token = $3::uuid,
              claimed_until = clock_timestamp() + $4::int * interval '1 millisecond',
              attempts = p.attempts + 1
         FROM candidates c
        WHERE p.id = c.id
       RETURNING p.id, p.consumer, p.attempts, p.event_id
     )
     SELECT c.id::text AS id, c.consumer, c.attempts, e.id AS event_id, e.type, e.version, e.key, e.payload,
            e.traceparent, e.published_at
       FROM claimed c JOIN events.event e ON e.id = c.event_id
      ORDER BY c.id`,
    [consumers, limit, token, leaseMs],
  );
  return rows.map((r) => ({
    publicationId: r.id,
    consumer: r.consumer,
    claimToken: token,
    event: {
      id: r.event_id,
      type: r.type,
      version: r.version,
      payload: r.payload,
      publishedAt: r.published_at,
      attempt: r.attempts,
      ...(r.key === null ? {} : { key: r.key }),
      ...(r.traceparent === null ? {} : { traceparent: r.traceparent }),
    },
  }));
}

export function backoffMs(attempt: number, backoff: RelaySettings['backoff']): number {
  const raw = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

export type DeliveryOutcome = 'handled' | 'duplicate' | 'lost-claim' | 'retry' | 'dead';

/**
 * Delivers one claimed publication. The handler, the inbox row and the completion commit in
 * one transaction that first locks the publication row and re-checks the claim token: a relay
 * whose lease ran out and was re-claimed elsewhere backs off instead of handling it twice.
 */
export async function deliver(
  pool: pg.Pool,
  subscriptions: Subscriptions,
  claimed: ClaimedPublication,
  settings: RelaySettings,
  logger: BusLogger,
): Promise<DeliveryOutcome> {
  const { publicationId, consumer, claimToken, event } = claimed;
  const handler = subscriptions.handler(consumer, event.type);
  let failure: unknown;
  if (event.attempt > settings.maxAttempts) {
    // Claimed more often than allowed without ever recording a failure: the handler's process
    // died or hung mid-delivery each time (the lease expired). Stop retrying.
    failure = new Error(`lease expired ${event.attempt - 1} times: the handling process died or hung`);
  } else if (!handler) {
    failure = new Error(`no handler for ${event.type} in consumer ${consumer} in this process`);
  } else {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const owned = await client.query(
        `SELECT 1 FROM events.publication WHERE id = $1 AND claim_token = $2 AND status = 'pending' FOR UPDATE`,
        [publicationId, claimToken],
      );
      if (owned.rowCount === 0) {
        await client.query('ROLLBACK');
        return 'lost-claim';
      }
      const fresh = await withProcessSpan(
        { type: event.type, eventId: event.id, consumer, attempt: event.attempt, traceparent: event.traceparent },
        () => handleOnce(client, consumer, event, handler),
      );
      await client.query(
        `UPDATE events.publication
            SET status = 'completed', completed_at = clock_timestamp(), claim_token = NULL, claimed_until = NULL
          WHERE id = $1`,
        [publicationId],
      );
      await client.query('COMMIT');
      const outcome = fresh ? 'handled' : 'duplicate';
      logger.debug?.({ publicationId, consumer, eventId: event.id, type: event.type, attempt: event.attempt, outcome }, 'event publication delivered');
      return outcome;
    } catch (err) {
      failure = err;
      await client.query('ROLLBACK').catch(() => {});
    } finally {
      client.release();
    }
  }
  return recordFailure(pool, claimed, failure, settings, logger);
}

async function recordFailure(
  pool: pg.Pool,
  { publicationId, consumer, claimToken, event }: ClaimedPublication,
  failure: unknown,
  settings: RelaySettings,
  logger: BusLogger,
): Promise<DeliveryOutcome> {
  const dead = event.attempt >= settings.maxAttempts;
  const delay = backoffMs(event.attempt, settings.backoff);
  const { rowCount } = await pool.query(
    `UPDATE events.publication
        SET last_error = $3,
            claim_token = NULL,
            claimed_until = NULL,
            status = CASE WHEN $4::boolean THEN 'dead' ELSE 'pending' END,
            dead_at = CASE WHEN $4::boolean THEN clock_timestamp() END,
            available_at = clock_timestamp() + $5::int * interval '1 millisecond'
      WHERE id = $1 AND claim_token = $2 AND status = 'pending'`,
    [publicationId, claimToken, describeError(failure), dead, delay],
  );
  const fields = { publicationId, consumer, eventId: event.id, type: event.type, attempt: event.attempt, err: describeError(failure) };
  if (rowCount === 0) return 'lost-claim';
  if (dead) logger.error(fields, 'event publication dead-lettered');
  else logger.warn({ ...fields, retryInMs: delay }, 'event handler failed; will retry');
  return dead ? 'dead' : 'retry';
}

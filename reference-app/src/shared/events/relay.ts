import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { checkOut } from '../db/checked-out.js';
import { CLAIM_SQL } from './claim-query.js';
import { batchOf, type BatchHandler, type DeliveredEvent } from './event-bus.js';
import { describeError, type BusLogger } from './logger.js';
import type { Subscriptions } from './subscriptions.js';
import { withProcessSpan, withProcessSpans, type ProcessSpanInfo } from './tracing.js';

export interface RelaySettings {
  /** Publications claimed per round trip. */
  batchSize: number;
  /** Delivery transactions running at once in this relay (each holds one pool connection). */
  concurrency: number;
  /** Most publications delivered in one transaction (handlers run one after another in it). */
  groupSize: number;
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
 * The query (claim-query.ts) costs the same whatever the backlog.
 */
export async function claimPublications(
  pool: pg.Pool,
  consumers: ReadonlyArray<string>,
  limit: number,
  leaseMs: number,
  /** Longest run of one key's publications claimed together (delivered in order in one group). */
  runLength = 1,
): Promise<ClaimedPublication[]> {
  if (consumers.length === 0 || limit <= 0) return [];
  const token = randomUUID();
  // A random starting point for the key scan: over many claims every busy key gets its turn.
  const startConsumer = consumers[Math.floor(Math.random() * consumers.length)]!;
  // A named statement: each pool connection parses it once and, after five custom plans,
  // PostgreSQL settles on a plan it reuses. Planning it afresh cost about 1.5 ms of a 2 ms claim
  // on a small backlog; the query is shaped so the reused plan is as good at 10k on one key
  // (claim-query.ts, bench/claim-plan.ts).
  const { rows } = await pool.query<ClaimRow>({ name: 'archfit-relay-claim', text: CLAIM_SQL }, [
    consumers,
    limit,
    token,
    leaseMs,
    limit * 2 + 8,
    startConsumer,
    randomUUID(),
    runLength,
  ]);
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

/** `released`: not attempted because an earlier publication of its key failed; claimable again. */
export type DeliveryOutcome = 'handled' | 'duplicate' | 'lost-claim' | 'retry' | 'dead' | 'released';

/**
 * Delivers one claimed publication (a group of one). Kept as the unit the tests and the
 * fallback path use.
 */
export async function deliver(
  pool: pg.Pool,
  subscriptions: Subscriptions,
  claimed: ClaimedPublication,
  settings: RelaySettings,
  logger: BusLogger,
): Promise<DeliveryOutcome> {
  const [outcome] = await deliverGroup(pool, subscriptions, [claimed], settings, logger);
  return outcome!;
}

/**
 * Delivers claimed publications (all from one claim) in ONE transaction: lock the rows still
 * held by our claim token, mark them completed and insert their inbox rows in one statement,
 * run the handlers of the events not already in the inbox (a batching handler takes its
 * consecutive events in one call, see batchHandler), commit. Effects, inbox rows and
 * completions commit together or not at all, so a crash anywhere redelivers and the inbox
 * makes the redelivery a no-op. A relay whose lease ran out and was re-claimed elsewhere finds
 * no row under its token and backs off. If any handler of a group throws, the group rolls
 * back and each publication is retried alone, so one poison event cannot fail its neighbours.
 */
export async function deliverGroup(
  pool: pg.Pool,
  subscriptions: Subscriptions,
  group: ReadonlyArray<ClaimedPublication>,
  settings: RelaySettings,
  logger: BusLogger,
): Promise<DeliveryOutcome[]> {
  const outcomes = new Map<ClaimedPublication, DeliveryOutcome>();
  const runnable: ClaimedPublication[] = [];
  // A claim may hold a run of one key's publications (in id order). Once one of them fails,
  // the later ones must wait for it (per-key order): they are released, not delivered.
  const stoppedKeys = new Set<string>();
  const keyOf = (c: ClaimedPublication) => (c.event.key === undefined ? undefined : `${c.consumer}\u0000${c.event.key}`);
  const stop = (c: ClaimedPublication, outcome: DeliveryOutcome) => {
    const key = keyOf(c);
    if (key !== undefined && outcome !== 'handled' && outcome !== 'duplicate') stoppedKeys.add(key);
  };
  for (const c of group) {
    const key = keyOf(c);
    if (key !== undefined && stoppedKeys.has(key)) {
      outcomes.set(c, await releaseClaim(pool, c));
    } else if (c.event.attempt > settings.maxAttempts) {
      // Claimed more often than allowed without ever recording a failure: the handler's process
      // died or hung mid-delivery each time (the lease expired). Stop retrying.
      const err = new Error(`lease expired ${c.event.attempt - 1} times: the handling process died or hung`);
      outcomes.set(c, await recordFailure(pool, c, err, settings, logger));
      stop(c, outcomes.get(c)!);
    } else if (!subscriptions.handler(c.consumer, c.event.type)) {
      const err = new Error(`no handler for ${c.event.type} in consumer ${c.consumer} in this process`);
      outcomes.set(c, await recordFailure(pool, c, err, settings, logger));
      stop(c, outcomes.get(c)!);
    } else {
      runnable.push(c);
    }
  }
  if (runnable.length > 0) {
    const failure = await runInOneTransaction(pool, subscriptions, runnable, outcomes, logger);
    if (failure !== undefined) {
      if (runnable.length === 1) {
        outcomes.set(runnable[0]!, await recordFailure(pool, runnable[0]!, failure, settings, logger));
      } else {
        // One at a time, in claim (id) order; after a failure the key's later ones are released.
        for (const c of runnable) {
          const key = keyOf(c);
          if (key !== undefined && stoppedKeys.has(key)) {
            outcomes.set(c, await releaseClaim(pool, c));
            continue;
          }
          const outcome = (await deliverGroup(pool, subscriptions, [c], settings, logger))[0]!;
          outcomes.set(c, outcome);
          stop(c, outcome);
        }
      }
    }
  }
  return group.map((c) => outcomes.get(c)!);
}

/** Returns the handler's error if the transaction rolled back, else undefined (outcomes filled in). */
async function runInOneTransaction(
  pool: pg.Pool,
  subscriptions: Subscriptions,
  group: ReadonlyArray<ClaimedPublication>,
  outcomes: Map<ClaimedPublication, DeliveryOutcome>,
  logger: BusLogger,
): Promise<unknown> {
  // With an error listener while held: a connection that dies mid-delivery rolls this group back
  // (the lease then expires and another claim redelivers), it does not take the process down.
  const { client, release } = await checkOut(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; fresh: boolean }>(
      // The UPDATE locks each row it completes and re-checks the claim token on a row a
      // concurrent claim changed (EvalPlanQual), so a row whose lease was lost drops out here;
      // no SELECT ... FOR UPDATE first (that wrote a lock record per event for nothing).
      `WITH done AS (
         UPDATE events.publication
            SET status = 'completed', completed_at = clock_timestamp(), claim_token = NULL, claimed_until = NULL
          WHERE id = ANY($1::bigint[]) AND claim_token = $2 AND status = 'pending'
         RETURNING id, event_id, consumer
       ), inbox AS (
         INSERT INTO events.inbox (consumer, event_id) SELECT consumer, event_id FROM done
         ON CONFLICT DO NOTHING
         RETURNING consumer, event_id
       )
       SELECT d.id::text AS id, (i.event_id IS NOT NULL) AS fresh
         FROM done d LEFT JOIN inbox i ON i.event_id = d.event_id AND i.consumer = d.consumer`,
      [group.map((c) => c.publicationId), group[0]!.claimToken],
    );
    const owned = new Map(rows.map((r) => [r.id, r.fresh]));
    // Fresh events in group order; a run of consecutive ones whose handlers share one batch
    // function goes to it in one call (a slice of the order, so per-key order holds).
    let run: { batch: BatchHandler; items: ClaimedPublication[] } | undefined;
    const flush = async () => {
      if (!run) return;
      const { batch, items } = run;
      run = undefined;
      await withProcessSpans(items.map(spanInfo), () => batch(items.map((c) => c.event), client));
    };
    for (const c of group) {
      const fresh = owned.get(c.publicationId);
      if (fresh === undefined) {
        outcomes.set(c, 'lost-claim');
        continue;
      }
      outcomes.set(c, fresh ? 'handled' : 'duplicate');
      if (!fresh) continue;
      const handler = subscriptions.handler(c.consumer, c.event.type)!;
      const batch = batchOf(handler);
      if (run && run.batch !== batch) await flush();
      if (batch) {
        if (run) run.items.push(c);
        else run = { batch, items: [c] };
        continue;
      }
      await withProcessSpan(spanInfo(c), () => handler(c.event, client));
    }
    await flush();
    await client.query('COMMIT');
    for (const c of group) {
      const outcome = outcomes.get(c)!;
      if (outcome === 'lost-claim') continue;
      logger.debug?.(
        { publicationId: c.publicationId, consumer: c.consumer, eventId: c.event.id, type: c.event.type, attempt: c.event.attempt, outcome },
        'event publication delivered',
      );
    }
    return undefined;
  } catch (err) {
    for (const c of group) outcomes.delete(c);
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    return err ?? new Error('handler threw a falsy value');
  } finally {
    release(broken);
  }
}

function spanInfo(c: ClaimedPublication): ProcessSpanInfo {
  return { type: c.event.type, eventId: c.event.id, consumer: c.consumer, attempt: c.event.attempt, traceparent: c.event.traceparent };
}

/** Gives a claimed publication back untouched (the claim's attempt is not counted). */
async function releaseClaim(pool: pg.Pool, { publicationId, claimToken }: ClaimedPublication): Promise<DeliveryOutcome> {
  const { rowCount } = await pool.query(
    `UPDATE events.publication SET claim_token = NULL, claimed_until = NULL, attempts = greatest(attempts - 1, 0)
      WHERE id = $1 AND claim_token = $2 AND status = 'pending'`,
    [publicationId, claimToken],
  );
  return rowCount === 0 ? 'lost-claim' : 'released';
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

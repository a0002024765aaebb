/**
 * Relay drain rate with a large backlog, before and after the claim rewrite (issue 16), in one
 * run: `npx tsx reference-app/bench/relay-drain.ts [--seconds 8] [--backlogs 10000,100000]`. Not a test: it prints figures.
 *
 * For each backlog (10,000 and 100,000 pending publications) and each shape (all on ONE hot key,
 * the case; spread over 1,000 keys), it times one claim with each query and then runs
 * the relay's claim -> deliver cycle (the real deliverGroup, a no-op handler, 4 delivery lanes,
 * up to 8 publications a claim) for a fixed time and reports publications delivered per second. The
 * "before" query is the pre-rewrite claim, copied here verbatim so both run on the same data.
 * Load average is printed beside the figures: this machine is shared.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { CLAIM_SQL } from '../src/shared/events/claim-query.js';
import { silentLogger } from '../src/shared/events/logger.js';
import { deliverGroup, type ClaimedPublication, type RelaySettings } from '../src/shared/events/relay.js';
import { ensureEventsSchema } from '../src/shared/events/schema.js';
import { Subscriptions } from '../src/shared/events/subscriptions.js';

const OLD_CLAIM_SQL = `WITH candidates AS (
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
      ORDER BY c.id`;

const CONSUMER = 'drain-bench';
const TYPE = 'bench.tick';
const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const seconds = Number(option('--seconds') ?? 8);
// `--backlogs 100000` runs one size; default both.
const backlogs = (option('--backlogs') ?? '10000,100000').split(',').map(Number);
// `--only after`: skip the old query (at 100k pending on a hot key one old claim ran for minutes).
const only = option('--only') as 'before' | 'after' | undefined;
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const settings: RelaySettings = {
  batchSize: 8,
  concurrency: 1,
  groupSize: 8,
  leaseMs: 30_000,
  maxAttempts: 10,
  backoff: { baseMs: 100, maxMs: 1_000 },
};

interface Row {
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

async function claim(pool: pg.Pool, which: 'before' | 'after', limit: number): Promise<ClaimedPublication[]> {
  const token = randomUUID();
  const { rows } =
    which === 'before'
      ? await pool.query<Row>(OLD_CLAIM_SQL, [[CONSUMER], limit, token, settings.leaseMs])
      : await pool.query<Row>(CLAIM_SQL, [[CONSUMER], limit, token, settings.leaseMs, limit * 2 + 8, CONSUMER, randomUUID(), settings.groupSize]);
  return rows.map((r) => ({
    publicationId: r.id,
    consumer: r.consumer,
    claimToken: token,
    event: { id: r.event_id, type: r.type, version: r.version, payload: r.payload, publishedAt: r.published_at, attempt: r.attempts, ...(r.key ? { key: r.key } : {}) },
  }));
}

async function fill(pool: pg.Pool, count: number, keys: number): Promise<void> {
  await pool.query('TRUNCATE events.publication, events.event, events.inbox');
  await pool.query(
    `WITH e AS (
       INSERT INTO events.event (id, type, version, key, payload)
       SELECT gen_random_uuid(), $1, 1, 'key-' || (g % $3), '{}'::jsonb FROM generate_series(1, $2) g
       RETURNING id, key)
     INSERT INTO events.publication (event_id, consumer, event_type, key) SELECT id, $4, $1, key FROM e`,
    [TYPE, count, keys, CONSUMER],
  );
  await pool.query('ANALYZE events.publication');
}

/**
 * One claim while the oldest publication of each key is already leased (in flight), which is
 * the relay's normal state: it claims again as soon as half its delivery slots are free.
 */
async function claimMs(pool: pg.Pool, which: 'before' | 'after'): Promise<number> {
  await claim(pool, which, 8);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const started = performance.now();
    const token = randomUUID();
    if (which === 'before') await client.query(OLD_CLAIM_SQL, [[CONSUMER], 8, token, settings.leaseMs]);
    else await client.query(CLAIM_SQL, [[CONSUMER], 8, token, settings.leaseMs, 24, CONSUMER, randomUUID(), settings.groupSize]);
    const ms = performance.now() - started;
    await client.query('ROLLBACK');
    return ms;
  } finally {
    client.release();
  }
}

/** LANES claim -> deliver loops side by side, like a relay with LANES delivery slots. */
const LANES = 4;

async function drainRate(pool: pg.Pool, which: 'before' | 'after', subscriptions: Subscriptions): Promise<number> {
  await pool.query('UPDATE events.publication SET claim_token = NULL, claimed_until = NULL, attempts = 0');
  let delivered = 0;
  const until = performance.now() + seconds * 1000;
  const lane = async () => {
    while (performance.now() < until) {
      const claimed = await claim(pool, which, 8);
      // Nothing claimable (the key's run is in flight on another lane): poll again shortly, as the relay does.
      if (claimed.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const outcomes = await deliverGroup(pool, subscriptions, claimed, settings, silentLogger);
      delivered += outcomes.filter((o) => o === 'handled').length;
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return delivered / seconds;
}

async function main(): Promise<void> {
  const name = `relay_drain_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: LANES + 2 });
  pool.on('error', () => {});
  const subscriptions = new Subscriptions();
  subscriptions.add(CONSUMER, TYPE, async () => {});
  try {
    await ensureEventsSchema(pool);
    console.log(`relay drain, ${seconds} s per cell, ${LANES} delivery lanes, 8 per claim, claim timed with each key's oldest row in flight; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('backlog   shape          claim ms before  claim ms after  drained/s before  drained/s after  load avg (1 min)');
    for (const backlog of backlogs) {
      for (const [shape, keys] of [
        ['one hot key', 1],
        ['1,000 keys', 1_000],
      ] as const) {
        const figures: Record<string, number> = {};
        for (const which of (['before', 'after'] as const).filter((w) => !only || w === only)) {
          await fill(pool, backlog, keys);
          figures[`claim-${which}`] = await claimMs(pool, which);
          figures[`rate-${which}`] = await drainRate(pool, which, subscriptions);
        }
        console.log(
          `${String(backlog).padEnd(9)} ${shape.padEnd(14)} ${(figures['claim-before']?.toFixed(1) ?? '-').padStart(15)} ${(figures['claim-after']?.toFixed(1) ?? '-').padStart(15)} ${(figures['rate-before']?.toFixed(0) ?? '-').padStart(17)} ${(figures['rate-after']?.toFixed(0) ?? '-').padStart(16)}  ${loadavg()[0]!.toFixed(2)}`,
        );
      }
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();

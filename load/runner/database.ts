import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedAdmin } from '../../test-support/postgres-admin.js';

export interface AdminServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * The Postgres server runs go to: LOAD_ADMIN_DATABASE_URL (a URL allowed to CREATE DATABASE),
 * else the test suite's server when run under vitest, else a throw-away embedded PostgreSQL,
 * which is the app's own default and what `npm run load` uses on a fresh machine.
 */
export async function resolveAdminServer(env: NodeJS.ProcessEnv = process.env): Promise<AdminServer> {
  const url = env.LOAD_ADMIN_DATABASE_URL || env.TEST_ADMIN_DATABASE_URL;
  if (url) return { url, description: env.LOAD_ADMIN_DATABASE_URL ? 'LOAD_ADMIN_DATABASE_URL' : 'the test suite\'s server', stop: async () => {} };
  return startEmbeddedAdmin();
}

/** A brand-new database per app start, so each strategy or mode starts from the same empty state. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `load_${prefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function postgresVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown';
  } finally {
    await c.end();
  }
}

const COUNTERS = ['xact_commit', 'xact_rollback', 'deadlocks', 'conflicts', 'tup_inserted', 'tup_updated'] as const;
export type DbCounters = Record<(typeof COUNTERS)[number], number>;

/** This database's pg_stat_database row; take two and subtract for a run's deltas. */
export async function readCounters(client: pg.Client): Promise<DbCounters> {
  // Statistics are cached per transaction; clear the snapshot so two reads really differ.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const row = (await client.query(`SELECT ${COUNTERS.join(', ')} FROM pg_stat_database WHERE datname = current_database()`)).rows[0] ?? {};
  return Object.fromEntries(COUNTERS.map((k) => [k, Number(row[k] ?? 0)])) as DbCounters;
}

/**
 * Counters once PostgreSQL has made them visible. Backends report their statistics on their own
 * schedule: PostgreSQL 15+ flushes a backend's counters at most once a second while it works and
 * up to ~10 s after it went idle; before 15 the collector lags ~0.5 s. pg_stat_force_next_flush()
 * flushes only the calling backend, never the app's, and an app that polls keeps the counters
 * moving, so waiting for them to stop is no test either: this waits the flush interval, then reads.
 */
export async function readSettledCounters(client: pg.Client, settleMs: number): Promise<{ counters: DbCounters; waitedMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { counters: await readCounters(client), waitedMs: settleMs };
}

/** Major version of the server (e.g. 18), from server_version_num. */
export async function serverMajor(client: pg.Client): Promise<number> {
  const r = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Math.floor(Number(r.rows[0]?.v ?? 0) / 10_000);
}

/**
 * Bids stored although a higher bid on the same listing was stored before them: what a
 * strategy with weaker ordering (append-only) accepts and a locking one refuses (422).
 * Ceilings are compared at equal semantics by leaving these out.
 */
export async function overtakenBids(client: pg.Client, listingId: string): Promise<number> {
  const r = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM (
       SELECT amount_cents, max(amount_cents) OVER (ORDER BY placed_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prior_max
       FROM bidding.bids WHERE listing_id = $1) t
     WHERE amount_cents < prior_max`,
    [listingId],
  );
  return Number(r.rows[0]?.n ?? 0);
}

export function counterDelta(before: DbCounters, after: DbCounters): DbCounters {
  return Object.fromEntries(COUNTERS.map((k) => [k, after[k] - before[k]])) as DbCounters;
}

export interface LockSample {
  samples: number;
  /** Sum over samples of backends waiting on a heavyweight lock. */
  lockWaitingSum: number;
  activeSum: number;
  maxLockWaiting: number;
  maxUngranted: number;
}

/**
 * Samples Postgres's own view of contention while a step runs: backends of this database
 * waiting on `Lock:*` (pg_stat_activity) and ungranted locks (pg_locks). The sampler uses
 * one dedicated connection so it never competes for the app's pool.
 */
export function startLockSampler(url: string, everyMs: number): { stop(): Promise<LockSample> } {
  const acc: LockSample = { samples: 0, lockWaitingSum: 0, activeSum: 0, maxLockWaiting: 0, maxUngranted: 0 };
  const client = new pg.Client({ connectionString: url });
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const r = await client.query<{ waiting: string; active: string; ungranted: string }>(
        `SELECT
           count(*) FILTER (WHERE a.wait_event_type = 'Lock') AS waiting,
           count(*) FILTER (WHERE a.state = 'active') AS active,
           (SELECT count(*) FROM pg_locks l WHERE NOT l.granted) AS ungranted
         FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      const row = r.rows[0];
      if (row) {
        acc.samples++;
        acc.lockWaitingSum += Number(row.waiting);
        acc.activeSum += Number(row.active);
        acc.maxLockWaiting = Math.max(acc.maxLockWaiting, Number(row.waiting));
        acc.maxUngranted = Math.max(acc.maxUngranted, Number(row.ungranted));
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.catch(() => {});
      await client.end().catch(() => {});
      return acc;
    },
  };
}

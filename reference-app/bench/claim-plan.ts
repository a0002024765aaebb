/**
 * The relay's claim, planned afresh per call (an unnamed statement) against a plan PostgreSQL
 * reuses (a named statement, as the relay sends it; and with plan_cache_mode forced to generic),
 * on shapes of backlog the relay meets: `npx tsx reference-app/bench/claim-plan.ts`. Not a
 * test: it prints milliseconds per claim, each inside BEGIN/ROLLBACK so every call claims the
 * same rows, beside the cost of an empty BEGIN/SELECT 1/ROLLBACK and the load average.
 *
 * Shapes (completed history, pending rows, keys): the everyday one (50,000 completed, 10 pending
 * on 5 keys), a hot key's backlog (10,000 pending on one key), a spread backlog (10,000 on
 * 1,000 keys) and an empty history. Database: TEST_DATABASE_URL's server (default the local
 * one), in a throw-away database. Loopback only; bounded (320 claims per plan and shape).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { CLAIM_SQL } from '../src/shared/events/claim-query.js';
import { ensureEventsSchema } from '../src/shared/events/schema.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SHAPES = [
  { name: 'everyday: 50k completed, 10 pending on 5 keys', completed: 50_000, pending: 10, keys: 5 },
  { name: 'hot key: 50k completed, 10k pending on 1 key', completed: 50_000, pending: 10_000, keys: 1 },
  { name: 'spread: 10k completed, 10k pending on 1,000 keys', completed: 10_000, pending: 10_000, keys: 1_000 },
  { name: 'no history: 3 pending on 2 keys', completed: 0, pending: 3, keys: 2 },
];
const WARM = 20;
const RUNS = 300;

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`claim-plan: ${RUNS} claims per plan and shape, load average ${load()}`);

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
for (const shape of SHAPES) {
  const db = `archfit_claim_plan_${process.pid}`;
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: url.href });
  try {
    const pool = new pg.Pool({ connectionString: url.href, max: 1 });
    await ensureEventsSchema(pool);
    await pool.end();
    await client.connect();
    await seed(client, shape);
    console.log(`\n${shape.name}`);
    const params = () => [['notifications', 'orders'], 64, randomUUID(), 30_000, 136, 'notifications', randomUUID(), 16];
    const claim = async (query: () => pg.QueryConfig) => {
      await client.query('BEGIN');
      const { rowCount } = await client.query(query());
      await client.query('ROLLBACK');
      return rowCount ?? 0;
    };
    const time = async (label: string, query: () => pg.QueryConfig) => {
      for (let i = 0; i < WARM; i++) await claim(query);
      let rows = 0;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < RUNS; i++) rows += await claim(query);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / RUNS;
      console.log(`  ${label.padEnd(36)} ${ms.toFixed(3)} ms per claim, ${(rows / RUNS).toFixed(0)} rows claimed`);
    };
    await time('planned per call (unnamed)', () => ({ text: CLAIM_SQL, values: params() }));
    await time('named, plan_cache_mode auto (relay)', () => ({ name: 'claim-auto', text: CLAIM_SQL, values: params() }));
    await client.query('SET plan_cache_mode = force_generic_plan');
    await time('named, forced generic plan', () => ({ name: 'claim-generic', text: CLAIM_SQL, values: params() }));
    await client.query('RESET plan_cache_mode');
    await time('BEGIN, SELECT 1, ROLLBACK', () => ({ text: 'SELECT 1' }));
  } finally {
    await client.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  }
}
await admin.end();
console.log(`\nload average after: ${load()}`);

async function seed(c: pg.Client, shape: { completed: number; pending: number; keys: number }) {
  await c.query(
    `INSERT INTO events.event (id, type, version, key, payload)
     SELECT gen_random_uuid(), 'bench.tick', 1, 'k' || (g % $2), '{}' FROM generate_series(1, $1) g`,
    [shape.completed + shape.pending, shape.keys],
  );
  await c.query(
    `INSERT INTO events.publication (event_id, consumer, event_type, key, status, completed_at)
     SELECT id, 'notifications', type, key, 'completed', clock_timestamp() FROM events.event ORDER BY published_at, id`,
  );
  await c.query(`UPDATE events.publication SET status = 'pending', completed_at = NULL WHERE id > $1`, [shape.completed]);
  await c.query('ANALYZE');
}

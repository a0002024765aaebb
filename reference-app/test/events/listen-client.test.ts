import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { WAKE_CHANNEL } from '../../src/shared/events/publish.js';
import { NotifyListener } from '../../src/shared/events/wakeup.js';
import { testPool, waitFor } from './support.js';

/*
 * Issue 16: the relay's LISTEN session is a client of its own, not a pool connection held for
 * life (which left requests DB_POOL_MAX - 1). It must still come back after its backend is
 * killed, and stop() must close it for good.
 */
let db: TestDatabase;
let pool: pg.Pool;
let admin: pg.Client;

const warnings: string[] = [];
const logger = {
  info() {},
  warn(_fields: object, message: string) {
    warnings.push(message);
  },
  error() {},
};

beforeAll(async () => {
  db = await createTestDatabase('events_listen');
  pool = testPool(db.url, 2);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await pool?.end();
  await db?.drop();
});

const backends = async (pid: number) =>
  Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]!.n);

it('listens on a connection outside the pool, reconnects after pg_terminate_backend, and closes on stop', async () => {
  let wakes = 0;
  const listener = NotifyListener.forPool(pool, () => wakes++, logger);
  await listener.start();
  try {
    expect(listener.working).toBe(true);
    const first = listener.backendPid!;
    expect(first).toBeGreaterThan(0);
    // Nothing was taken from the pool: requests keep all of DB_POOL_MAX.
    expect(pool.totalCount).toBe(0);
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      const pids = [a, b].map((c) => (c as unknown as { processID: number }).processID);
      expect(pids).not.toContain(first);
    } finally {
      a.release();
      b.release();
    }
    expect(await backends(first)).toBe(1);

    await admin.query('SELECT pg_terminate_backend($1)', [first]);
    await waitFor('the listener to reconnect', async () => listener.working && listener.backendPid !== undefined && listener.backendPid !== first);
    expect(warnings.some((w) => w.startsWith('LISTEN connection lost'))).toBe(true);
    expect(pool.totalCount).toBeLessThanOrEqual(2);

    // The new session hears a NOTIFY from another connection.
    const before = wakes;
    await admin.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, '']);
    await waitFor('a wake-up on the new session', async () => wakes > before);

    const second = listener.backendPid!;
    await listener.stop();
    expect(listener.backendPid).toBeUndefined();
    await waitFor('the LISTEN backend to end', async () => (await backends(second)) === 0);
  } finally {
    await listener.stop();
  }
});

it('does not reconnect once stopped, even when its connection is killed while it waits to', async () => {
  const listener = NotifyListener.forPool(pool, () => {}, logger);
  await listener.start();
  const pid = listener.backendPid!;
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await waitFor('the loss to be seen', async () => listener.backendPid === undefined);
  await listener.stop();
  // The reconnect timer (1 s) was cleared: wait past it, then no session of ours exists.
  await new Promise((r) => setTimeout(r, 1500));
  expect(listener.backendPid).toBeUndefined();
  expect(listener.working).toBe(false);
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
  );
  expect(Number(rows[0]!.n)).toBe(pool.idleCount);
});

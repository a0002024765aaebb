import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { ensureEventsSchema } from '../../src/shared/events/index.js';
import { Publications } from '../../src/shared/events/publications.js';
import { testPool } from './support.js';

// What operators read (the admin outbox routes): the listing and the summary read pending and
// dead rows through the partial indexes that hold them. Keyed and keyless pending rows sit in
// two different indexes, so every view must show both, in id order, and nothing completed.

let db: TestDatabase;
let pool: pg.Pool;
let publications: Publications;
const ids: Record<string, string> = {};

async function publication(name: string, consumer: string, key: string | null, status: string, lastError: string | null = null) {
  const eventId = randomUUID();
  await pool.query(`INSERT INTO events.event (id, type, version, key, payload) VALUES ($1, 'views.test', 1, $2, '{"n":1}')`, [eventId, key]);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events.publication (event_id, consumer, event_type, key, status, last_error, completed_at, dead_at)
     VALUES ($1, $2, 'views.test', $3, $4, $5, CASE WHEN $4 = 'completed' THEN clock_timestamp() END, CASE WHEN $4 = 'dead' THEN clock_timestamp() END)
     RETURNING id::text`,
    [eventId, consumer, key, status, lastError],
  );
  ids[name] = rows[0]!.id;
}

beforeAll(async () => {
  db = await createTestDatabase('events_views');
  pool = testPool(db.url);
  await ensureEventsSchema(pool);
  publications = new Publications(pool);
  // Interleaved so that id order mixes keyed and keyless rows and both consumers.
  await publication('done1', 'a', 'k1', 'completed');
  await publication('keyed1', 'a', 'k1', 'pending');
  await publication('keyless1', 'a', null, 'pending');
  await publication('done2', 'b', null, 'completed');
  await publication('failedKeyed', 'b', 'k2', 'pending', 'boom');
  await publication('keyed2', 'a', 'k3', 'pending');
  await publication('dead1', 'b', null, 'dead', 'gave up');
  await publication('failedKeyless', 'a', null, 'pending', 'timeout');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const names = (views: Array<{ id: string }>) => views.map((v) => Object.keys(ids).find((k) => ids[k] === v.id));

describe('the registry as operators read it', () => {
  it('lists pending rows, keyed and keyless, in id order, and pages by afterId', async () => {
    expect(names(await publications.list({ state: 'pending' }))).toEqual(['keyed1', 'keyless1', 'failedKeyed', 'keyed2', 'failedKeyless']);
    expect(names(await publications.list({ state: 'pending', limit: 2 }))).toEqual(['keyed1', 'keyless1']);
    expect(names(await publications.list({ state: 'pending', limit: 2, afterId: ids.keyless1 }))).toEqual(['failedKeyed', 'keyed2']);
  });

  it('filters by consumer and by state', async () => {
    expect(names(await publications.list({ state: 'pending', consumer: 'a' }))).toEqual(['keyed1', 'keyless1', 'keyed2', 'failedKeyless']);
    expect(names(await publications.list({ state: 'failed' }))).toEqual(['failedKeyed', 'failedKeyless']);
    expect(names(await publications.list({ state: 'dead' }))).toEqual(['dead1']);
    const [dead] = await publications.list({ state: 'dead' });
    expect(dead).toMatchObject({ consumer: 'b', status: 'dead', lastError: 'gave up', eventType: 'views.test', payload: { n: 1 } });
  });

  it('summarises pending, failed and dead per consumer, leaving completed rows out', async () => {
    const summary = await publications.summary();
    expect(summary.map(({ oldestPendingSeconds, ...rest }) => rest)).toEqual([
      { consumer: 'a', pending: 4, failed: 1, dead: 0 },
      { consumer: 'b', pending: 1, failed: 1, dead: 1 },
    ]);
    expect(summary[0]!.oldestPendingSeconds).not.toBeNull();
  });

  it('gets one publication by id, completed ones included', async () => {
    expect(await publications.get(ids.done2!)).toMatchObject({ id: ids.done2, status: 'completed', consumer: 'b' });
    expect(await publications.get('999999')).toBeUndefined();
  });
});

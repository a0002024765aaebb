import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { ensureEventsSchema } from '../../src/shared/events/index.js';
import { Publications } from '../../src/shared/events/publications.js';
import { count, testPool } from './support.js';

// The registry's pruning: completed publications past the retention go, with the events they
// leave without any publication, found through the deleted rows and not by a scan of the event
// table; a backlog larger than one batch goes in one prune; inbox rows past theirs go.

let db: TestDatabase;
let pool: pg.Pool;
let publications: Publications;

beforeAll(async () => {
  db = await createTestDatabase('events_prune');
  pool = testPool(db.url);
  await ensureEventsSchema(pool);
  publications = new Publications(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

beforeEach(async () => {
  await pool.query('TRUNCATE events.event, events.publication, events.inbox');
});

/** An event with one publication per status given, completed ones an hour ago. */
async function event(...statuses: Array<'pending' | 'completed' | 'dead'>): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO events.event (id, type, version, payload, published_at) VALUES ($1, 'prune.test', 1, '{}', clock_timestamp() - interval '2 hours')`,
    [id],
  );
  for (const [i, status] of statuses.entries()) {
    await pool.query(
      `INSERT INTO events.publication (event_id, consumer, event_type, status, completed_at)
       VALUES ($1, $2, 'prune.test', $3, CASE WHEN $3 = 'completed' THEN clock_timestamp() - interval '1 hour' END)`,
      [id, `consumer-${i}`, status],
    );
  }
  return id;
}

const events = () => count(pool, 'SELECT count(*) n FROM events.event');
const retention = { completedRetentionMs: 60_000, inboxRetentionMs: 60_000 };

describe('pruning the publication registry', () => {
  it('deletes an event once its last publication is pruned, even when its two went in different batches', async () => {
    const both = await event('completed', 'completed');
    // batch 1: the first batch leaves the event a publication, the second takes it.
    const pruned = await publications.prune({ ...retention, batch: 1 });
    expect(pruned).toEqual({ publications: 2, events: 1, inbox: 0 });
    expect(await count(pool, 'SELECT count(*) n FROM events.event WHERE id = $1', [both])).toBe(0);
  });

  it('keeps an event that a pending or dead publication still needs, and its unexpired publications', async () => {
    const pending = await event('completed', 'pending');
    const dead = await event('dead', 'completed');
    await pool.query(`UPDATE events.publication SET completed_at = clock_timestamp() WHERE event_id = $1 AND status = 'completed'`, [pending]);
    const pruned = await publications.prune(retention);
    expect(pruned.publications).toBe(1);
    expect(await events()).toBe(2);
    expect(await count(pool, 'SELECT count(*) n FROM events.publication WHERE event_id = $1', [pending])).toBe(2);
    expect(await count(pool, 'SELECT count(*) n FROM events.publication WHERE event_id = $1', [dead])).toBe(1);
  });

  it('prunes a backlog larger than one batch in one call, up to maxBatches batches', async () => {
    for (let i = 0; i < 12; i++) await event('completed');
    expect(await publications.prune({ ...retention, batch: 5, maxBatches: 2 })).toEqual({ publications: 10, events: 10, inbox: 0 });
    expect(await publications.prune({ ...retention, batch: 5 })).toEqual({ publications: 2, events: 2, inbox: 0 });
    expect(await events()).toBe(0);
  });

  it('leaves an old event without publications to the orphan sweep, which deletes it', async () => {
    const orphan = await event();
    const kept = await event('pending');
    expect((await publications.prune(retention)).events).toBe(0);
    expect((await publications.prune({ ...retention, sweepOrphans: true })).events).toBe(1);
    expect(await count(pool, 'SELECT count(*) n FROM events.event WHERE id = ANY($1::uuid[])', [[orphan, kept]])).toBe(1);
  });

  it('deletes inbox rows past their retention in batches, and keeps newer ones', async () => {
    for (let i = 0; i < 7; i++) {
      await pool.query(`INSERT INTO events.inbox (consumer, event_id, handled_at) VALUES ('c', $1, clock_timestamp() - interval '1 hour')`, [randomUUID()]);
    }
    await pool.query(`INSERT INTO events.inbox (consumer, event_id) VALUES ('c', $1)`, [randomUUID()]);
    expect((await publications.prune({ ...retention, batch: 3 })).inbox).toBe(7);
    expect(await count(pool, 'SELECT count(*) n FROM events.inbox')).toBe(1);
  });
});

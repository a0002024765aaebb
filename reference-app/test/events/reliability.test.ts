import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { createEventBus, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import { claimPublications, deliver } from '../../src/shared/events/relay.js';
import { Subscriptions } from '../../src/shared/events/subscriptions.js';
import { silentLogger } from '../../src/shared/events/logger.js';
import { count, inTx, testPool, waitFor } from './support.js';

const job = defineEvent({
  type: 'reltest.job',
  version: 1,
  publisher: 'reltest',
  schema: Type.Object({ n: Type.Integer(), poison: Type.Optional(Type.Boolean()) }),
  subscribers: ['worker-a'],
});

let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
let cured = false;
const MAX_ATTEMPTS = 3;

beforeAll(async () => {
  db = await createTestDatabase('events_rel');
  pool = testPool(db.url);
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE effect (event_id uuid PRIMARY KEY, n int)');
  bus = createEventBus({
    pool,
    consumers: ['worker-a'],
    relay: { pollIntervalMs: 50, maxAttempts: MAX_ATTEMPTS, backoff: { baseMs: 20, maxMs: 100 }, leaseMs: 400 },
  });
  bus.subscribe<{ n: number; poison?: boolean }>('worker-a', job.type, async (event, tx) => {
    await tx.query('INSERT INTO effect VALUES ($1, $2)', [event.id, event.payload.n]);
    if (event.payload.poison && !cured) throw new Error(`cannot digest job ${event.payload.n}`);
  });
  await bus.start();
});

afterAll(async () => {
  await bus?.stop();
  await pool?.end();
  await db?.drop();
});

describe('retries, dead letters and leases', () => {
  it('dead-letters a poison event after N attempts, keeping its last error, while others keep flowing', async () => {
    const [poisonId] = await inTx(pool, (tx) => bus.publishEvents([job.create({ n: 0, poison: true })], tx));
    const others: string[] = [];
    for (let i = 1; i <= 40; i++) others.push(...(await inTx(pool, (tx) => bus.publishEvents([job.create({ n: i })], tx))));
    await waitFor('poison dead-lettered', async () =>
      (await count(pool, `SELECT count(*) n FROM events.publication WHERE status = 'dead' AND event_id = $1`, [poisonId])) === 1,
    );
    await waitFor('others handled', async () =>
      (await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = ANY($1::uuid[])', [others])) === others.length,
    );
    const { rows } = await pool.query('SELECT attempts, last_error FROM events.publication WHERE event_id = $1', [poisonId]);
    expect(rows[0].attempts).toBe(MAX_ATTEMPTS);
    expect(rows[0].last_error).toContain('cannot digest job 0');
    // The poison's effects rolled back with each failed attempt.
    expect(await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [poisonId])).toBe(0);

    const dead = await bus.publications.list({ state: 'dead', consumer: 'worker-a' });
    expect(dead.map((p) => p.eventId)).toEqual([poisonId]);
    const summary = await bus.publications.summary();
    expect(summary).toContainEqual(expect.objectContaining({ consumer: 'worker-a', dead: 1 }));

    // An operator fixes the cause and resubmits: it is delivered once, with a fresh budget.
    cured = true;
    expect(await bus.publications.resubmit(dead[0]!.id)).toBe('resubmitted');
    expect(await bus.publications.resubmit(dead[0]!.id)).not.toBe('resubmitted');
    await waitFor('resubmitted handled', async () =>
      (await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [poisonId])) === 1,
    );
    expect(await bus.publications.resubmit('999999999')).toBe('not-found');
    expect(await bus.publications.resubmit('not-a-number')).toBe('not-found');
  });

  it('re-delivers a publication whose relay died after claiming it, once the lease expires; the stale relay cannot complete it', async () => {
    await bus.stop(); // Only our "crashed" relay claims for a moment.
    const [id] = await inTx(pool, (tx) => bus.publishEvents([job.create({ n: 100 })], tx));
    const [stale] = await claimPublications(pool, ['worker-a'], 10, 400);
    expect(stale?.event.id).toBe(id);
    await bus.start();
    await waitFor('re-delivery after lease', async () =>
      (await count(pool, `SELECT count(*) n FROM events.publication WHERE event_id = $1 AND status = 'completed'`, [id])) === 1,
    );
    const { rows } = await pool.query('SELECT attempts FROM events.publication WHERE event_id = $1', [id]);
    expect(rows[0].attempts).toBe(2);
    // The relay that "died" wakes up and tries to finish its old claim: refused, no second effect.
    const subs = new Subscriptions();
    subs.add('worker-a', job.type, async (event, tx) => {
      await tx.query('INSERT INTO effect VALUES ($1, $2)', [event.id, -1]);
    });
    const outcome = await deliver(pool, subs, stale!, { batchSize: 1, concurrency: 1, groupSize: 1, leaseMs: 400, maxAttempts: 3, backoff: { baseMs: 1, maxMs: 1 } }, silentLogger);
    expect(outcome).toBe('lost-claim');
    expect(await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [id])).toBe(1);
  });

  it('skips an event already in the consumer inbox (redelivery has no second effect)', async () => {
    await bus.stop();
    const [id] = await inTx(pool, (tx) => bus.publishEvents([job.create({ n: 200 })], tx));
    await pool.query(`INSERT INTO events.inbox (consumer, event_id) VALUES ('worker-a', $1)`, [id]);
    await bus.start();
    await waitFor('completion', async () =>
      (await count(pool, `SELECT count(*) n FROM events.publication WHERE event_id = $1 AND status = 'completed'`, [id])) === 1,
    );
    expect(await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [id])).toBe(0);
  });

  it('prunes completed publications and their events after the retention', async () => {
    const before = await count(pool, `SELECT count(*) n FROM events.publication WHERE status = 'completed'`);
    expect(before).toBeGreaterThan(0);
    const pruned = await bus.publications.prune({ completedRetentionMs: 0, inboxRetentionMs: 0 });
    expect(pruned.publications).toBe(before);
    expect(await count(pool, `SELECT count(*) n FROM events.publication WHERE status = 'completed'`)).toBe(0);
    // Events still referenced by a pending or dead publication stay.
    expect(await count(pool, 'SELECT count(*) n FROM events.event e WHERE NOT EXISTS (SELECT 1 FROM events.publication p WHERE p.event_id = e.id)')).toBe(0);
  });
});

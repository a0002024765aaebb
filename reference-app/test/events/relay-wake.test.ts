import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { createEventBus, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import { inTx, testPool, waitFor } from './support.js';

/*
 * Issue 16, notification lag on one hot key: an event published while its key's previous event
 * is being delivered cannot be claimed until that delivery ends. The relay used to answer the
 * NOTIFY with a claim at once (which skipped the key, in flight) and then slept until its next
 * poll; now it claims when the delivery finishes. The polls here are 10 minutes, so only that
 * path can deliver the second event at all: the test waits for it (up to a minute, a liveness
 * bound, not a speed one) and fails on the old relay, which would sleep until the next poll.
 */
const tick = defineEvent({
  type: 'waketest.tick',
  version: 1,
  publisher: 'waketest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['wake'],
});
const POLL_MS = 600_000;

let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
const handledAt = new Map<number, number>();
let firstStarted: (() => void) | undefined;

beforeAll(async () => {
  db = await createTestDatabase('events_wake');
  pool = testPool(db.url, 4);
  await ensureEventsSchema(pool);
  bus = createEventBus({
    pool,
    consumers: ['wake'],
    relay: { pollIntervalMs: POLL_MS, hotPollMs: POLL_MS, notify: true, notifyThrottleMs: 0 },
    prune: false,
  });
  bus.subscribe<{ n: number }>('wake', tick.type, async (event) => {
    if (event.payload.n === 0) {
      firstStarted?.();
      await new Promise((r) => setTimeout(r, 400));
    }
    handledAt.set(event.payload.n, Date.now());
  });
  await bus.start();
});
afterAll(async () => {
  await bus?.stop();
  await pool?.end();
  await db?.drop();
});

it('delivers an event published while its key was in flight when that delivery ends, not at the next poll', async () => {
  const started = new Promise<void>((resolve) => (firstStarted = resolve));
  await inTx(pool, (tx) => bus.publishEvents([tick.create({ n: 0 }, 'hot')], tx));
  await started;
  // The first event's handler is running: its key is in flight when the second one's NOTIFY comes.
  await inTx(pool, (tx) => bus.publishEvents([tick.create({ n: 1 }, 'hot')], tx));
  await waitFor('the second event handled without a poll', async () => handledAt.size === 2, 60_000);
  // In order: the second was claimed only once the first's delivery had ended.
  expect(handledAt.get(1)!).toBeGreaterThanOrEqual(handledAt.get(0)!);
}, 90_000);

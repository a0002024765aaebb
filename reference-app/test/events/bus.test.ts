import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import {
  createEventBus,
  defineEvent,
  ensureEventsSchema,
  InvalidEventPayloadError,
  UnknownEventContractError,
  type DeliveredEvent,
  type PostgresEventBus,
} from '../../src/shared/events/index.js';
import { count, inTx, testPool, waitFor } from './support.js';

const itemAdded = defineEvent({
  type: 'bustest.item_added',
  version: 1,
  publisher: 'bustest',
  schema: Type.Object({ itemId: Type.String(), n: Type.Integer() }),
  subscribers: ['recorder'],
});
const lonely = defineEvent({
  type: 'bustest.lonely',
  version: 1,
  publisher: 'bustest',
  schema: Type.Object({ x: Type.Integer() }),
  subscribers: [],
});

let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
const seen: DeliveredEvent[] = [];

beforeAll(async () => {
  db = await createTestDatabase('events_bus');
  pool = testPool(db.url);
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE effect (event_id uuid PRIMARY KEY, item text, n int)');
  bus = createEventBus({ pool, consumers: ['recorder'], relay: { pollIntervalMs: 100 } });
  bus.subscribe<{ itemId: string; n: number }>('recorder', itemAdded.type, async (event, tx) => {
    seen.push(event);
    await tx.query('INSERT INTO effect VALUES ($1, $2, $3)', [event.id, event.payload.itemId, event.payload.n]);
  });
  await bus.start();
});

afterAll(async () => {
  await bus?.stop();
  await pool?.end();
  await db?.drop();
});

describe('Postgres event bus', () => {
  it('writes one event and one publication per consumer in the caller transaction, then delivers it', async () => {
    const [id] = await inTx(pool, (tx) => bus.publishEvents([itemAdded.create({ itemId: 'a', n: 1 })], tx));
    await waitFor('delivery', async () => (await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [id])) === 1);
    const { rows } = await pool.query('SELECT status, attempts, consumer FROM events.publication WHERE event_id = $1', [id]);
    expect(rows).toEqual([{ status: 'completed', attempts: 1, consumer: 'recorder' }]);
    expect(await count(pool, 'SELECT count(*) n FROM events.inbox WHERE event_id = $1', [id])).toBe(1);
  });

  it('a rolled-back business transaction publishes nothing', async () => {
    const before = await count(pool, 'SELECT count(*) n FROM events.event');
    await inTx(pool, (tx) => bus.publish([itemAdded.create({ itemId: 'rolled-back', n: 2 })], tx), true);
    await expect(
      inTx(pool, async (tx) => {
        await bus.publish([itemAdded.create({ itemId: 'thrown', n: 3 })], tx);
        throw new Error('business rule failed after publishing');
      }),
    ).rejects.toThrow('business rule failed');
    bus.wake();
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(pool, 'SELECT count(*) n FROM events.event')).toBe(before);
    expect(seen.some((e) => ['rolled-back', 'thrown'].includes((e.payload as { itemId: string }).itemId))).toBe(false);
  });

  it('rejects a payload that breaks its contract before writing anything', async () => {
    const before = await count(pool, 'SELECT count(*) n FROM events.event');
    await expect(
      inTx(pool, (tx) =>
        bus.publish([itemAdded.create({ itemId: 'ok', n: 4 }), { type: itemAdded.type, version: 1, payload: { itemId: 5 } }], tx),
      ),
    ).rejects.toBeInstanceOf(InvalidEventPayloadError);
    expect(() => itemAdded.create({ itemId: 'x', n: 1.5 })).toThrow(/n: Expected integer/);
    await expect(inTx(pool, (tx) => bus.publish([{ type: 'bustest.nobody_declared', version: 1, payload: {} }], tx))).rejects.toBeInstanceOf(
      UnknownEventContractError,
    );
    expect(await count(pool, 'SELECT count(*) n FROM events.event')).toBe(before);
  });

  it('writes no rows and does not throw when nobody subscribes', async () => {
    const ids = await inTx(pool, (tx) => bus.publishEvents([lonely.create({ x: 1 })], tx));
    expect(ids).toHaveLength(1);
    expect(await count(pool, 'SELECT count(*) n FROM events.event WHERE id = $1', [ids[0]])).toBe(0);
  });

  it('delivers events with the same key in publish order, across separate transactions', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(...(await inTx(pool, (tx) => bus.publishEvents([itemAdded.create({ itemId: `k${i}`, n: i }, 'order-key')], tx))));
    }
    await waitFor('keyed deliveries', async () => ids.every((id) => seen.some((e) => e.id === id)));
    const order = seen.filter((e) => e.key === 'order-key').map((e) => (e.payload as { n: number }).n);
    expect(order).toEqual([...Array(20).keys()]);
  });

  it('still delivers by polling alone when NOTIFY is off (as behind a transaction-mode pooler)', async () => {
    const polled = defineEvent({
      type: 'bustest.polled',
      version: 1,
      publisher: 'bustest',
      schema: Type.Object({ n: Type.Integer() }),
      subscribers: ['poller'],
    });
    const poller = createEventBus({ pool, consumers: ['poller'], relay: { notify: false, pollIntervalMs: 100 }, ensureSchema: false });
    const got: number[] = [];
    poller.subscribe<{ n: number }>('poller', polled.type, async (event) => {
      got.push(event.payload.n);
    });
    await poller.start();
    try {
      await inTx(pool, (tx) => poller.publish([polled.create({ n: 1 })], tx));
      await waitFor('polled delivery', async () => got.length === 1, 3000);
    } finally {
      await poller.stop();
    }
  });

  it('refuses a second handler for the same consumer and event type', () => {
    expect(() => bus.subscribe('recorder', itemAdded.type, async () => {})).toThrow(/already subscribes/);
  });
});

import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { createEventBus, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import { claimPublications } from '../../src/shared/events/relay.js';
import { inTx, testPool } from './support.js';

/*
 * The lease: a claim protects what it took from every other claim until it runs out. A live
 * lease is never re-claimed (keyless), a key whose oldest row is leased yields nothing more
 * (per-key order: its next row waits for the one in flight), and the lease lasts as long as
 * asked. (Expiry and the stale relay's refused delivery: claim-guards and reliability tests.)
 */
const ping = defineEvent({
  type: 'leasetest.ping',
  version: 1,
  publisher: 'leasetest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['lease-a'],
});

const LEASE_MS = 60_000;
let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;

beforeAll(async () => {
  db = await createTestDatabase('events_lease');
  pool = testPool(db.url, 4);
  await ensureEventsSchema(pool);
  bus = createEventBus({ pool, consumers: ['lease-a'], relay: false });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** `runLength` 2 lets a claim take a key's next row together with its oldest one. */
const claim = (runLength = 1) => claimPublications(pool, ['lease-a'], 10, LEASE_MS, runLength);

it('does not hand a row under a live lease to a second claim, keyless or keyed', async () => {
  await inTx(pool, (tx) =>
    bus.publishEvents([ping.create({ n: 1 }), ping.create({ n: 2 }, 'key-1'), ping.create({ n: 3 }, 'key-1')], tx),
  );
  const first = await claim();
  // Keyless n=1 and the key's oldest row n=2; n=3 waits behind n=2 (run length 1).
  expect(first.map((c) => (c.event.payload as { n: number }).n).sort()).toEqual([1, 2]);

  // Even a claim that may take runs: n=3 stays behind the leased n=2.
  const second = await claim(2);
  expect(second.map((c) => (c.event.payload as { n: number }).n)).toEqual([]);
});

it('leases for as long as asked: the row is still leased right after the claim', async () => {
  await inTx(pool, (tx) => bus.publishEvents([ping.create({ n: 10 })], tx));
  const [claimed] = await claim();
  expect((claimed?.event.payload as { n: number } | undefined)?.n).toBe(10);
  const { rows } = await pool.query<{ leased: boolean }>(
    'SELECT claimed_until > clock_timestamp() AS leased FROM events.publication WHERE id = $1',
    [claimed!.publicationId],
  );
  expect(rows[0]!.leased).toBe(true);
  expect(await claim()).toEqual([]);
});

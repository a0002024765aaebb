import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres.js';
import { createEventBus, defineEvent, ensureEventsSchema, type PostgresEventBus } from '../../src/shared/events/index.js';
import { silentLogger } from '../../src/shared/events/logger.js';
import { claimPublications, deliver, type RelaySettings } from '../../src/shared/events/relay.js';
import { Subscriptions } from '../../src/shared/events/subscriptions.js';
import { count, inTx, testPool } from './support.js';

/*
 * Two guards of the relay that the mutation check found untested: a delivery must hold the
 * row's current claim token (a relay whose lease ran out must not finish a row another relay
 * has claimed since), and concurrent claims never hand out the same publication twice
 * (FOR UPDATE SKIP LOCKED), keyless or keyed.
 */
const tick = defineEvent({
  type: 'claimtest.tick',
  version: 1,
  publisher: 'claimtest',
  schema: Type.Object({ n: Type.Integer() }),
  subscribers: ['claim-a'],
});

let db: TestDatabase;
let pool: pg.Pool;
let bus: PostgresEventBus;
const settings: RelaySettings = {
  batchSize: 8,
  concurrency: 1,
  groupSize: 8,
  leaseMs: 300,
  maxAttempts: 5,
  backoff: { baseMs: 1, maxMs: 1 },
};

beforeAll(async () => {
  db = await createTestDatabase('events_claim');
  pool = testPool(db.url, 16);
  await ensureEventsSchema(pool);
  await pool.query('CREATE TABLE effect (event_id uuid, n int)');
  // The bus only publishes here (relay off): the test claims and delivers by hand.
  bus = createEventBus({ pool, consumers: ['claim-a'], relay: false });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

function recording(): Subscriptions {
  const subs = new Subscriptions();
  subs.add('claim-a', tick.type, async (event, tx) => {
    await tx.query('INSERT INTO effect VALUES ($1, $2)', [event.id, (event.payload as { n: number }).n]);
  });
  return subs;
}

it('refuses a delivery under a claim token that is no longer the row’s (lease ran out, re-claimed elsewhere)', async () => {
  const [id] = await inTx(pool, (tx) => bus.publishEvents([tick.create({ n: 1 })], tx));
  const [stale] = await claimPublications(pool, ['claim-a'], 8, 50);
  expect(stale?.event.id).toBe(id);
  await new Promise((resolve) => setTimeout(resolve, 120)); // the 50 ms lease is over
  const [fresh] = await claimPublications(pool, ['claim-a'], 8, 30_000);
  expect(fresh?.publicationId).toBe(stale!.publicationId);
  // The old relay wakes up first: the row is still pending but no longer under its token.
  expect(await deliver(pool, recording(), stale!, settings, silentLogger)).toBe('lost-claim');
  expect(await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [id])).toBe(0);
  expect(await deliver(pool, recording(), fresh!, settings, silentLogger)).toBe('handled');
  expect(await count(pool, 'SELECT count(*) n FROM effect WHERE event_id = $1', [id])).toBe(1);
});

it('never hands the same publication to two concurrent claims (keyless and keyed runs)', async () => {
  await inTx(pool, (tx) =>
    bus.publishEvents(
      Array.from({ length: 240 }, (_, n) => tick.create({ n }, n % 3 === 0 ? undefined : `key-${n % 7}`)),
      tx,
    ),
  );
  const claims = await Promise.all(
    Array.from({ length: 12 }, () => claimPublications(pool, ['claim-a'], 20, 30_000, 8)),
  );
  const ids = claims.flat().map((c) => c.publicationId);
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.length - new Set(ids).size).toBe(0);
  // Every claimed row carries the token of the one claim that returned it.
  for (const claim of claims) {
    for (const c of claim) {
      const { rows } = await pool.query('SELECT claim_token FROM events.publication WHERE id = $1', [c.publicationId]);
      expect(rows[0].claim_token).toBe(c.claimToken);
    }
  }
});

import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/shared/db/pool.js';
import type { BidStrategyName } from '../../src/modules/bidding/index.js';
import { createBidStrategy } from '../../src/modules/bidding/infrastructure/strategies/index.js';
import { bearer, startTestApp, userWithToken, type TestApp } from '../helpers/test-app.js';

// Each strategy counts the statements or transactions it runs again (the figure the
// write-contention scenario reports as retries). A retry is forced deterministically: a hook
// runs on another connection right after the strategy's first statement of a transaction,
// so the strategy's snapshot predates what the hook commits.

let t: TestApp;
let pool: Pool;
let other: Pool;

beforeAll(async () => {
  t = await startTestApp();
  pool = createPool({ connectionString: t.db.url, max: 2 });
  other = createPool({ connectionString: t.db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await other?.end();
  await t?.close();
});

/** A pool whose clients run `hook` once, after the first statement following BEGIN returns. */
function hookedPool(hook: () => Promise<void>): Pool {
  let fired = false;
  const wrap = (client: PoolClient): PoolClient =>
    new Proxy(client, {
      get(target, prop) {
        if (prop !== 'query') {
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (text: string, params?: unknown[]) => {
          const result = await target.query(text, params);
          if (!fired && !/^(BEGIN|COMMIT|ROLLBACK)$/.test(text)) {
            fired = true;
            await hook();
          }
          return result;
        };
      },
    });
  return { connect: async () => wrap(await pool.connect()) } as unknown as Pool;
}

const sellerId = randomUUID();
const openAuction = (listingId: string) =>
  other.query('INSERT INTO bidding.auctions (listing_id, seller_id, starting_price_cents) VALUES ($1, $2, 100)', [
    listingId,
    sellerId,
  ]);
const bid = (listingId: string, amountCents: number) => ({ listingId, bidderId: randomUUID(), amountCents });
const noEvents = async () => {};

describe('bid strategies count their own retries', () => {
  it.each(['conditional-update', 'append-only'] as BidStrategyName[])(
    '%s: a statement whose snapshot predates the auction row runs again, and the count says 1',
    async (name) => {
      const listingId = randomUUID();
      // The hook opens the auction after the strategy's first statement found no row.
      const strategy = createBidStrategy(name, hookedPool(() => openAuction(listingId).then(() => {})));
      expect(strategy.retries()).toBe(0);
      const placed = await strategy.place(bid(listingId, 500), noEvents);
      expect(placed.bid.amountCents).toBe(500);
      expect(strategy.retries()).toBe(1);
      // A bid that goes through first time adds nothing.
      await strategy.place(bid(listingId, 600), noEvents);
      expect(strategy.retries()).toBe(1);
    },
  );

  it('optimistic: a version changed under the read runs the transaction again, and the count says 1', async () => {
    const listingId = randomUUID();
    await openAuction(listingId);
    const bump = async () => {
      await other.query('UPDATE bidding.auctions SET version = version + 1 WHERE listing_id = $1', [listingId]);
    };
    const strategy = createBidStrategy('optimistic', hookedPool(bump));
    await strategy.place(bid(listingId, 500), noEvents);
    expect(strategy.retries()).toBe(1);
  });

  it('row-lock never retries', async () => {
    const listingId = randomUUID();
    await openAuction(listingId);
    const strategy = createBidStrategy('row-lock', pool);
    await strategy.place(bid(listingId, 500), noEvents);
    await strategy.place(bid(listingId, 600), noEvents);
    expect(strategy.retries()).toBe(0);
  });

  it('the admin metrics route shows the running strategy and its count; other contexts are refused', async () => {
    const admin = await userWithToken(t.app, 'admin');
    const consumer = await userWithToken(t.app, 'consumer');
    const url = '/api/admin/bidding/metrics';
    const ok = await t.app.inject({ method: 'GET', url, headers: bearer(admin.token) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ strategy: 'conditional-update', retries: 0 });
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(consumer.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});

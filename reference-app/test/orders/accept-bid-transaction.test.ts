import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptBid, auctionWithBid, checkOut } from '../helpers/marketplace.js';
import {
  createListing,
  problemOf,
  startTestApp,
  userWithToken,
  type TestApp,
  type TestUser,
} from '../helpers/test-app.js';

let t: TestApp;
let seller: TestUser;
let consumer: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  [seller, consumer] = await Promise.all([userWithToken(t.app, 'seller'), userWithToken(t.app, 'consumer')]);
});
afterAll(async () => t?.close());

/** Everything the accept-bid transaction touches, read straight from the tables. */
async function stateOf(listingId: string, bidId: string) {
  const q = async (sql: string, params: unknown[]) => (await t.app.pool.query(sql, params)).rows[0];
  return {
    bidStatus: (await q('SELECT status FROM bidding.bids WHERE id = $1', [bidId]))?.status,
    auctionStatus: (await q('SELECT status FROM bidding.auctions WHERE listing_id = $1', [listingId]))?.status,
    stock: (await q('SELECT stock FROM catalog.listings WHERE id = $1', [listingId]))?.stock,
    orders: Number((await q('SELECT count(*) FROM orders.orders WHERE listing_id = $1', [listingId])).count),
    orderEvents: Number(
      (
        await q(`SELECT count(*) FROM events.event WHERE type = 'order.placed' AND payload->>'listingId' = $1`, [
          listingId,
        ])
      ).count,
    ),
  };
}

/** Makes one statement of the transaction fail, the way a real fault would, for the duration of `work`. */
async function withFailingTrigger(table: string, when: string, work: () => Promise<void>) {
  await t.app.pool.query(`CREATE OR REPLACE FUNCTION public.fail_on_purpose() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
  await t.app.pool.query(
    `CREATE TRIGGER fail_on_purpose BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION public.fail_on_purpose()`,
  );
  try {
    await work();
  } finally {
    await t.app.pool.query(`DROP TRIGGER fail_on_purpose ON ${table}`);
  }
}

describe('an accepted bid becomes an order in one transaction', () => {
  it('accepts the bid, closes the auction, takes the stock, writes the order and its event', async () => {
    const { listingId, bidId } = await auctionWithBid(t.app, seller, consumer);
    const response = await acceptBid(t.app, seller, bidId);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      bidId,
      listingId,
      buyerId: consumer.id,
      totalCents: 5_000,
      source: 'accepted-bid',
    });
    expect(await stateOf(listingId, bidId)).toEqual({
      bidStatus: 'accepted',
      auctionStatus: 'closed',
      stock: 0,
      orders: 1,
      orderEvents: 1,
    });
    // A second acceptance finds the auction closed.
    expect((await acceptBid(t.app, seller, bidId)).statusCode).toBe(409);
  });

  for (const [step, table, when] of [
    ['the order insert', 'orders.orders', 'true'],
    ['the event publication (last step)', 'events.event', `NEW.type = 'order.placed'`],
  ] as const) {
    it(`rolls back every module's change when ${step} fails`, async () => {
      const { listingId, bidId } = await auctionWithBid(t.app, seller, consumer);
      const before = await stateOf(listingId, bidId);
      expect(before).toEqual({ bidStatus: 'leading', auctionStatus: 'open', stock: 1, orders: 0, orderEvents: 0 });
      await withFailingTrigger(table, when, async () => {
        const response = await acceptBid(t.app, seller, bidId);
        expect(response.statusCode).toBe(500);
        expect(problemOf(response).detail).not.toContain('injected');
      });
      expect(await stateOf(listingId, bidId)).toEqual(before);
      // Nothing half-done blocks a retry once the fault is gone.
      expect((await acceptBid(t.app, seller, bidId)).statusCode).toBe(201);
      expect(await stateOf(listingId, bidId)).toMatchObject({ bidStatus: 'accepted', orders: 1, orderEvents: 1 });
    });
  }

  it("refuses to accept a bid that is not the highest, and another seller's bid", async () => {
    const { listingId, bidId } = await auctionWithBid(t.app, seller, consumer, 2_000);
    const rival = await userWithToken(t.app, 'consumer');
    const higher = await t.app.inject({
      method: 'POST',
      url: `/api/consumer/listings/${listingId}/bids`,
      headers: { authorization: `Bearer ${rival.token}` },
      payload: { amountCents: 3_000 },
    });
    expect(higher.statusCode).toBe(201);
    expect((await acceptBid(t.app, seller, bidId)).statusCode).toBe(422);
    const otherSeller = await userWithToken(t.app, 'seller');
    expect((await acceptBid(t.app, otherSeller, higher.json().bid.id)).statusCode).toBe(404);
    expect(await stateOf(listingId, bidId)).toMatchObject({ auctionStatus: 'open', stock: 1, orders: 0 });
  });
});

describe('checkout of a fixed-price listing', () => {
  it('never oversells under concurrent checkouts', async () => {
    const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 1_500, stock: 5 });
    const buyers = await Promise.all(Array.from({ length: 4 }, () => userWithToken(t.app, 'consumer')));
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => checkOut(t.app, buyers[i % buyers.length]!, listing.id, 1)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    const { rows } = await t.app.pool.query('SELECT stock, status FROM catalog.listings WHERE id = $1', [listing.id]);
    expect(rows[0]).toEqual({ stock: 0, status: 'sold-out' });
    const orders = await t.app.pool.query(
      'SELECT sum(quantity)::int AS sold FROM orders.orders WHERE listing_id = $1',
      [listing.id],
    );
    expect(orders.rows[0].sold).toBe(5);
  });

  it('refuses checkout of an auction listing and of your own listing', async () => {
    const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    expect((await checkOut(t.app, consumer, auction.id, 1)).statusCode).toBe(422);
    const both = await userWithToken(t.app, 'consumer');
    // A user with both roles cannot buy from themselves (stock is left untouched).
    await t.app.pool.query(`UPDATE identity.users SET roles = ARRAY['consumer','seller'] WHERE id = $1`, [both.id]);
    const own = await t.app.pool.query(
      `INSERT INTO catalog.listings (seller_id, title, kind, price_cents, stock) VALUES ($1, 'own', 'fixed-price', 100, 2) RETURNING id`,
      [both.id],
    );
    expect((await checkOut(t.app, both, own.rows[0].id, 1)).statusCode).toBe(422);
    const { rows } = await t.app.pool.query('SELECT stock FROM catalog.listings WHERE id = $1', [own.rows[0].id]);
    expect(rows[0].stock).toBe(2);
  });
});

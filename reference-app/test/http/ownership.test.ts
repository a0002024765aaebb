import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOut, placeBid } from '../helpers/marketplace.js';
import { bearer, createListing, startTestApp, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';

/*
 * Every "only your own" condition, each seen from two users who both have data: the one the
 * data belongs to sees it, the other does not (lists leave it out, single items answer 404,
 * never 403, so ids are not confirmed to exist). Each assertion is the one a mutation of that
 * condition (reference-app/mutation/guards.ts) must trip.
 */
let t: TestApp;
const sellers: TestUser[] = [];
const consumers: TestUser[] = [];
/** Per seller: one fixed-price listing, one auction with a bid from each consumer. */
const listings: Array<{ fixed: string; auction: string }> = [];

const get = (user: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(user.token) });
const idsOf = async (user: TestUser, url: string, pick: (item: Record<string, unknown>) => unknown = (i) => i.id) => {
  const response = await get(user, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Array<Record<string, unknown>>>().map(pick);
};

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < 2; i++) {
    sellers.push(await userWithToken(t.app, 'seller'));
    consumers.push(await userWithToken(t.app, 'consumer'));
  }
  for (const [i, seller] of sellers.entries()) {
    const fixed = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 500, stock: 10 });
    const auction = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    listings.push({ fixed: fixed.id, auction: auction.id });
    for (const [j, consumer] of consumers.entries()) {
      expect((await placeBid(t.app, consumer, auction.id, 2_000 + 100 * (2 * i + j))).statusCode).toBe(201);
      expect((await checkOut(t.app, consumer, fixed.id, 1)).statusCode).toBe(201);
    }
  }
});
afterAll(async () => t?.close());

describe('lists show only the caller’s own rows', () => {
  it("a consumer's bids", async () => {
    for (const consumer of consumers) {
      const bidders = await idsOf(consumer, '/api/consumer/bids?limit=100', (b) => b.bidderId);
      expect(bidders).toHaveLength(2);
      expect(new Set(bidders)).toEqual(new Set([consumer.id]));
    }
  });

  it("a consumer's orders", async () => {
    for (const consumer of consumers) {
      const buyers = await idsOf(consumer, '/api/consumer/orders?limit=100', (o) => o.buyerId);
      expect(buyers).toHaveLength(2);
      expect(new Set(buyers)).toEqual(new Set([consumer.id]));
    }
  });

  it("a seller's orders", async () => {
    for (const seller of sellers) {
      const owners = await idsOf(seller, '/api/seller/orders?limit=100', (o) => o.sellerId);
      expect(owners).toHaveLength(2);
      expect(new Set(owners)).toEqual(new Set([seller.id]));
    }
  });

  it("a seller's listings", async () => {
    for (const [i, seller] of sellers.entries()) {
      const ids = await idsOf(seller, '/api/seller/listings?limit=100');
      expect(new Set(ids)).toEqual(new Set([listings[i]!.fixed, listings[i]!.auction]));
    }
  });

  it('bids on a listing: its seller sees them, another seller gets 404', async () => {
    const mine = await idsOf(sellers[0]!, `/api/seller/listings/${listings[0]!.auction}/bids`, (b) => b.listingId);
    expect(mine).toEqual([listings[0]!.auction, listings[0]!.auction]);
    expect((await get(sellers[1]!, `/api/seller/listings/${listings[0]!.auction}/bids`)).statusCode).toBe(404);
  });
});

describe('notifications', () => {
  let theirs: string;

  beforeAll(async () => {
    // Written directly: the relay is off here, and the store's reads are what is under test.
    const insert = (recipient: TestUser) =>
      t.app.pool.query<{ id: string }>(
        `INSERT INTO notifications.notification (recipient_id, kind, title, body, subject_type, subject_id, source_event_id)
         VALUES ($1, 'bid.outbid.bidder', 'Outbid', 'someone bid higher', 'listing', $2, $3) RETURNING id`,
        [recipient.id, listings[0]!.auction, randomUUID()],
      );
    await insert(consumers[0]!);
    theirs = (await insert(consumers[1]!)).rows[0]!.id;
  });

  it('lists only the recipient’s own', async () => {
    for (const consumer of consumers) {
      const recipients = await idsOf(consumer, '/api/consumer/notifications', (n) => n.id);
      expect(recipients).toHaveLength(1);
      const { rows } = await t.app.pool.query('SELECT recipient_id FROM notifications.notification WHERE id = $1', [recipients[0]]);
      expect(rows[0].recipient_id).toBe(consumer.id);
    }
  });

  it("marks someone else's notification read: 404, and it stays unread", async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/consumer/notifications/${theirs}/read`,
      headers: bearer(consumers[0]!.token),
    });
    expect(other.statusCode).toBe(404);
    const { rows } = await t.app.pool.query('SELECT read_at FROM notifications.notification WHERE id = $1', [theirs]);
    expect(rows[0].read_at).toBeNull();
    const own = await t.app.inject({ method: 'POST', url: `/api/consumer/notifications/${theirs}/read`, headers: bearer(consumers[1]!.token) });
    expect(own.statusCode).toBe(204);
  });
});

describe('an Idempotency-Key belongs to the user who sent it', () => {
  const withKey = (user: TestUser, key: string) => ({ ...bearer(user.token), 'idempotency-key': key });

  it('two consumers using the same key on checkout each get their own order', async () => {
    const key = `shared-${randomUUID()}`;
    const [a, b] = consumers as [TestUser, TestUser];
    const first = await t.app.inject({ method: 'POST', url: '/api/consumer/orders', headers: withKey(a, key), payload: { listingId: listings[0]!.fixed, quantity: 1 } });
    const second = await t.app.inject({ method: 'POST', url: '/api/consumer/orders', headers: withKey(b, key), payload: { listingId: listings[0]!.fixed, quantity: 1 } });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(first.json().buyerId).toBe(a.id);
    expect(second.json().buyerId).toBe(b.id);
  });

  it('two consumers using the same key on a bid each get their own bid', async () => {
    const key = `shared-${randomUUID()}`;
    const [a, b] = consumers as [TestUser, TestUser];
    const bid = (user: TestUser, amountCents: number) =>
      t.app.inject({ method: 'POST', url: `/api/consumer/listings/${listings[1]!.auction}/bids`, headers: withKey(user, key), payload: { amountCents } });
    const first = await bid(a, 50_000);
    const second = await bid(b, 60_000);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(first.json().bid.bidderId).toBe(a.id);
    expect(second.json().bid.bidderId).toBe(b.id);
  });
});

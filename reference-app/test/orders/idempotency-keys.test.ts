import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createListing, problemOf, startTestApp, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';

/* Ten identical concurrent checkouts used to make ten orders: there was no idempotency key. */
let t: TestApp;
let seller: TestUser;
let consumer: TestUser;

beforeAll(async () => {
  t = await startTestApp({ poolMax: 12 });
  seller = await userWithToken(t.app, 'seller');
  consumer = await userWithToken(t.app, 'consumer');
});
afterAll(async () => t?.close());

const checkOut = (listingId: string, key?: string, quantity = 1) =>
  t.app.inject({
    method: 'POST',
    url: '/api/consumer/orders',
    headers: { ...bearer(consumer.token), ...(key ? { 'idempotency-key': key } : {}) },
    payload: { listingId, quantity },
  });
const bid = (listingId: string, amountCents: number, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/consumer/listings/${listingId}/bids`,
    headers: { ...bearer(consumer.token), ...(key ? { 'idempotency-key': key } : {}) },
    payload: { amountCents },
  });

describe('Idempotency-Key on checkout', () => {
  it('ten identical concurrent checkouts with one key make one order, and every answer names it', async () => {
    const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 700, stock: 100 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => checkOut(listing.id, 'order-key-1')));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 201));
    const ids = new Set(responses.map((r) => r.json<{ id: string }>().id));
    expect(ids.size).toBe(1);
    const { rows } = await t.app.pool.query('SELECT count(*)::int AS n FROM orders.orders WHERE listing_id = $1', [listing.id]);
    expect(rows[0].n).toBe(1);
    const stock = await t.app.pool.query('SELECT stock FROM catalog.listings WHERE id = $1', [listing.id]);
    expect(stock.rows[0].stock).toBe(99);
    // A later retry answers the same order.
    expect((await checkOut(listing.id, 'order-key-1')).json<{ id: string }>().id).toBe([...ids][0]);
  });

  it('refuses the same key for a different request (422), and without a key each request buys', async () => {
    const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 700, stock: 100 });
    expect((await checkOut(listing.id, 'order-key-2')).statusCode).toBe(201);
    const reused = await checkOut(listing.id, 'order-key-2', 2);
    expect(reused.statusCode).toBe(422);
    expect(problemOf(reused).errors?.[0]?.field).toBe('headers:/idempotency-key');
    const plain = await Promise.all([checkOut(listing.id), checkOut(listing.id)]);
    expect(plain.map((r) => r.statusCode)).toEqual([201, 201]);
    const bad = await checkOut(listing.id, 'not ascii é');
    expect(bad.statusCode).toBe(400);
  });
});

describe('Idempotency-Key on bid placement', () => {
  it('ten identical concurrent bids with one key store one bid and answer it ten times', async () => {
    const listing = await createListing(t.app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => bid(listing.id, 4_000, 'bid-key-1')));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 201));
    expect(new Set(responses.map((r) => r.json<{ bid: { id: string } }>().bid.id)).size).toBe(1);
    const { rows } = await t.app.pool.query('SELECT count(*)::int AS n FROM bidding.bids WHERE listing_id = $1', [listing.id]);
    expect(rows[0].n).toBe(1);
    const events = await t.app.pool.query(
      `SELECT count(*)::int AS n FROM events.event WHERE type = 'bid.placed' AND payload->>'listingId' = $1`,
      [listing.id],
    );
    expect(events.rows[0].n).toBe(1);
    expect((await bid(listing.id, 5_000, 'bid-key-1')).statusCode).toBe(422);
  });
});

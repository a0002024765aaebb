import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_STOCK } from '../../src/modules/catalog/domain/listing.js';
import { bearer, createListing, problemOf, startTestApp, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';

/*
 * Every quantity a client sends has an upper bound in its schema, refused with 400 naming the
 * field before any SQL runs; one past the bound is refused, the bound itself is accepted.
 * (Restock's running total is bounded in SQL as well: http/hostile-input.test.ts.)
 */
const MAX_MONEY = 100_000_000;
const MAX_CHECKOUT = 1_000;

let t: TestApp;
let seller: TestUser;
let consumer: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  seller = await userWithToken(t.app, 'seller');
  consumer = await userWithToken(t.app, 'consumer');
});
afterAll(async () => t?.close());

/** A POST as `user`; every request here is one. */
const post = (user: TestUser, url: string, payload: Record<string, unknown>) =>
  ({ method: 'POST', url, headers: bearer(user.token), payload }) as const;

async function expectRefused(request: ReturnType<typeof post>, field: string) {
  const response = await t.app.inject(request);
  expect(response.statusCode, response.body).toBe(400);
  expect(problemOf(response).errors?.map((e) => e.field)).toContain(field);
}

it('a listing: price and stock', async () => {
  const listing = (priceCents: number, stock: number) =>
    post(seller, '/api/seller/listings', { title: 'Bounded listing', kind: 'fixed-price', priceCents, stock });
  await expectRefused(listing(MAX_MONEY + 1, 1), 'body:/priceCents');
  await expectRefused(listing(100, MAX_STOCK + 1), 'body:/stock');
  expect((await t.app.inject(listing(MAX_MONEY, MAX_STOCK))).statusCode).toBe(201);
});

it('a restock', async () => {
  const { id } = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 100, stock: 1 });
  const restock = (quantity: number) => post(seller, `/api/seller/listings/${id}/stock`, { quantity });
  await expectRefused(restock(MAX_STOCK + 1), 'body:/quantity');
  expect((await t.app.inject(restock(MAX_STOCK - 1))).statusCode).toBe(200);
});

it('a checkout', async () => {
  const { id } = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 100, stock: MAX_STOCK });
  const buy = (quantity: number) => post(consumer, '/api/consumer/orders', { listingId: id, quantity });
  await expectRefused(buy(MAX_CHECKOUT + 1), 'body:/quantity');
  expect((await t.app.inject(buy(MAX_CHECKOUT))).statusCode).toBe(201);
});

it('a bid', async () => {
  const { id } = await createListing(t.app, seller, { kind: 'auction', priceCents: 100, stock: 1 });
  const bid = (amountCents: number) => post(consumer, `/api/consumer/listings/${id}/bids`, { amountCents });
  await expectRefused(bid(MAX_MONEY + 1), 'body:/amountCents');
  expect((await t.app.inject(bid(MAX_MONEY))).statusCode).toBe(201);
});

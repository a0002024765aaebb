import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkOut } from '../helpers/marketplace.js';
import { createListing, problemOf, startTestApp, userWithToken, type TestApp } from '../helpers/test-app.js';

/* takeStock's `stock >= quantity` is the whole oversell guard; without it the CHECK constraint made it a 500. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ poolMax: 12 });
});
afterAll(async () => t?.close());

it('refuses more than the stock with 422 naming the quantity, and concurrent buyers never oversell', async () => {
  const seller = await userWithToken(t.app, 'seller');
  const buyers = await Promise.all(Array.from({ length: 4 }, () => userWithToken(t.app, 'consumer')));
  const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 300, stock: 5 });
  const tooMany = await checkOut(t.app, buyers[0]!, listing.id, 6);
  expect(tooMany.statusCode).toBe(422);
  expect(problemOf(tooMany).errors?.[0]?.field).toBe('body:/quantity');
  const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => checkOut(t.app, buyers[i % 4]!, listing.id, 1)));
  expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 201, 201, 422, 422, 422]);
  const { rows } = await t.app.pool.query('SELECT stock, status FROM catalog.listings WHERE id = $1', [listing.id]);
  expect(rows[0]).toEqual({ stock: 0, status: 'sold-out' });
});
